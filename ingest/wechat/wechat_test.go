package wechat_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"followrank/ingest/wechat"
	"followrank/ingest/wechat/wechattest"
	"followrank/model"
	"followrank/retry"
	"followrank/store"
	"followrank/store/storetest"
)

// clock is the time both the fake API and the source read.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// at sets the clock to a day and time in China.
func (c *clock) at(day, hhmm string) {
	t, err := time.ParseInLocation(time.DateOnly+" 15:04", day+" "+hhmm, wechattest.China)
	if err != nil {
		panic(err)
	}
	c.t = t
}

type setup struct {
	clock *clock
	fake  *wechattest.Fake
	src   *wechat.Source
	store *store.Store
	logs  *bytes.Buffer
}

// newSetup is an account followed since start by the fake API, and the
// source configured for it as a bureau would, at the given China time.
func newSetup(t *testing.T, start, day, hhmm string) setup {
	c := &clock{}
	c.at(day, hhmm)
	f, srv := wechattest.New(t, wechattest.NewSeries(parse(start), 23300), c.now)
	logs := &bytes.Buffer{}
	src := &wechat.Source{
		Account: "蒙城银辉", AppID: wechattest.AppID, Secret: func() (string, error) { return wechattest.AppSecret, nil },
		BaseURL: srv.URL, BackfillDays: 10, Now: c.now, Retry: time.Millisecond,
		Log: slog.New(slog.NewTextHandler(logs, nil)),
	}
	return setup{clock: c, fake: f, src: src, store: storetest.New(t), logs: logs}
}

func (s setup) ingest(t *testing.T) []string {
	t.Helper()
	out, err := s.src.Ingest(context.Background(), s.store, "run-"+s.clock.t.Format("0102-1504"))
	if err != nil {
		t.Fatalf("ingest at %s: %v", s.clock.t, err)
	}
	return out.Items
}

func (s setup) stored(t *testing.T, from, to string) map[string]model.AccountDay {
	t.Helper()
	days, err := s.store.AccountDays(context.Background(), "蒙城银辉", parse(from), parse(to))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.AccountDay{}
	for _, d := range days {
		out[d.Date.Format(time.DateOnly)] = d
	}
	return out
}

// served is the day as the fake API serves it now, in followrank's terms:
// the mapping the source must make, written out from the API's fields.
func served(t *testing.T, f *wechattest.Fake, day string) (model.AccountDay, bool) {
	t.Helper()
	d, _, ok := f.Answer(parse(day))
	if !ok {
		return model.AccountDay{}, false
	}
	want := model.AccountDay{Account: "蒙城银辉", Date: parse(day), CumulativeUsers: d.Cumulate,
		ReadUsers: d.Biz.ReadUser, Shares: d.Biz.ShareUser, Favourites: d.Biz.LikeUser + d.Biz.ZaikanUser}
	for _, s := range d.Sources {
		want.NewUsers += s.New
		want.CancelledUsers += s.Cancel
	}
	for _, a := range d.Articles {
		want.Reads += a.ReadUser
	}
	return want, true
}

// same compares two days' figures, sources aside.
func same(a, b model.AccountDay) bool {
	return a.Account == b.Account && a.Date.Equal(b.Date) && a.NewUsers == b.NewUsers && a.CancelledUsers == b.CancelledUsers &&
		a.CumulativeUsers == b.CumulativeUsers && a.Reads == b.Reads && a.ReadUsers == b.ReadUsers && a.Shares == b.Shares && a.Favourites == b.Favourites
}

// TestWeChatThreeNightsAndThreeMornings replays the shipped schedule
// (02:30, when WeChat has not yet computed yesterday) and a morning one
// (09:00, when yesterday's content figures are not final) for three days.
// Every stored day must equal what the API serves at the end: no day the
// API had not answered stored as zeros, no provisional figure left
// unrevised once the API finalised it.
func TestWeChatThreeNightsAndThreeMornings(t *testing.T) {
	s := newSetup(t, "2026-10-01", "2026-11-24", "02:30")

	items := s.ingest(t) // night 1: 11-14 … 11-22 stored, 11-23 not published
	if got := s.stored(t, "2026-11-23", "2026-11-23"); len(got) != 0 {
		t.Errorf("at 02:30 the day WeChat has not computed was stored: %+v", got)
	}
	if !strings.Contains(strings.Join(items, "\n"), "2026-11-23 微信尚未公布") {
		t.Errorf("the outcome does not say 2026-11-23 is not published yet: %q", items)
	}
	s.clock.at("2026-11-24", "09:00") // morning 1: 11-23 published, its reads not final
	items = s.ingest(t)
	if !strings.Contains(strings.Join(items, "\n"), "2026-11-23 的阅读数据微信尚未定稿") {
		t.Errorf("the outcome does not name the day not final: %q", items)
	}
	provisional := s.stored(t, "2026-11-23", "2026-11-23")["2026-11-23"]
	for _, night := range []string{"2026-11-25", "2026-11-26"} {
		s.clock.at(night, "02:30")
		s.ingest(t)
		s.clock.at(night, "09:00")
		s.ingest(t)
	}

	got := s.stored(t, "2026-11-01", "2026-11-30")
	for d := parse("2026-11-01"); !d.After(parse("2026-11-30")); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		want, published := served(t, s.fake, day)
		stored, ok := got[day]
		switch {
		case day < "2026-11-14" && ok:
			t.Errorf("%s stored, before the backfill", day)
		case day >= "2026-11-14" && published && !ok:
			t.Errorf("%s not stored; the API serves %+v", day, want)
		case !published && ok:
			t.Errorf("%s stored as %+v; the API has not published it", day, stored)
		case ok && !same(stored, want):
			t.Errorf("%s stored as %+v\nthe API serves  %+v", day, stored, want)
		}
	}
	if final := got["2026-11-23"]; final.ReadUsers <= provisional.ReadUsers {
		t.Errorf("2026-11-23's readers were not revised: %d stored at 09:00, %d now", provisional.ReadUsers, final.ReadUsers)
	}
	if len(got) != 12 { // 11-14 … 11-25
		t.Errorf("%d days stored, want 12", len(got))
	}
	d := got["2026-11-20"]
	var sum uint32
	for _, src := range d.Sources {
		sum += src.NewUsers
	}
	if len(d.Sources) == 0 || sum != d.NewUsers {
		t.Errorf("2026-11-20's sources %+v do not add up to its %d new followers", d.Sources, d.NewUsers)
	}
	if d.CumulativeUsers < 23500 || d.CumulativeUsers > 24100 {
		t.Errorf("2026-11-20: %d followers, want about 23,800", d.CumulativeUsers)
	}
	if s.fake.Forced != 0 {
		t.Errorf("%d forced token refreshes; normal mode sufficed", s.fake.Forced)
	}
	for endpoint, max := range map[string]int{"/datacube/getusersummary": 7, "/datacube/getusercumulate": 7, "/datacube/getbizsummary": 1, "/datacube/getarticleread": 1} {
		if s.fake.Spans[endpoint] == 0 || s.fake.Spans[endpoint] > max {
			t.Errorf("%s asked for %d days at once, limit %d", endpoint, s.fake.Spans[endpoint], max)
		}
	}
	if s.fake.Spans["/datacube/getuserread"] != 0 {
		t.Error("the deprecated getuserread was asked for days the new endpoints serve")
	}
}

// TestWeChatNeedsNoForcedRefresh: a token renewed by another system of the
// same AppID, or expired, is replaced through normal mode; forcing a
// refresh would revoke the other systems' tokens.
func TestWeChatNeedsNoForcedRefresh(t *testing.T) {
	s := newSetup(t, "2026-10-01", "2026-11-24", "10:00")
	s.ingest(t)
	s.fake.OtherSystemForcesRefresh() // the editors' tool forces a refresh
	s.ingest(t)
	s.clock.t = s.clock.t.Add(3 * time.Hour) // the token expires
	s.ingest(t)
	if s.fake.Forced != 0 {
		t.Errorf("%d forced refreshes, want none: normal mode gives the token in force", s.fake.Forced)
	}
	if s.fake.NormalTokens < 3 {
		t.Errorf("%d normal-mode requests, want one at the start and one after each refused token", s.fake.NormalTokens)
	}
	if strings.Contains(s.logs.String(), "forcing a refresh") {
		t.Errorf("the log says a refresh was forced:\n%s", s.logs)
	}
}

// TestWeChatForcesOnlyWhenNormalModeKeepsFailing: when normal mode keeps
// giving a token the API refuses, one forced refresh, logged.
func TestWeChatForcesOnlyWhenNormalModeKeepsFailing(t *testing.T) {
	s := newSetup(t, "2026-10-01", "2026-11-24", "10:00")
	s.fake.StaleNormal = true
	s.ingest(t)
	if s.fake.Forced != 1 {
		t.Errorf("%d forced refreshes, want exactly 1", s.fake.Forced)
	}
	if !strings.Contains(s.logs.String(), "forcing a refresh") || !strings.Contains(s.logs.String(), "level=WARN") {
		t.Errorf("the forced refresh is not logged as a warning:\n%s", s.logs)
	}
	if strings.Contains(s.logs.String(), wechattest.AppSecret) {
		t.Error("the log shows the AppSecret")
	}
}

// TestWeChatReadsOldDaysFromGetUserRead: days before 2025-11-01, which the
// new endpoints do not serve, and accounts without the new endpoints, are
// read from getuserread, three days a request, taking its total row.
func TestWeChatReadsOldDaysFromGetUserRead(t *testing.T) {
	for _, tc := range []struct {
		name, start, today string
		noNew              bool
	}{
		{"days before 2025-11-01", "2024-06-01", "2024-07-11", false},
		{"an account without the new endpoints", "2026-10-01", "2026-11-24", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, tc.start, tc.today, "10:00")
			s.fake.NoNewEndpoints = tc.noNew
			s.ingest(t)
			if s.fake.Spans["/datacube/getuserread"] != 3 {
				t.Errorf("getuserread asked %d days at once, want 3", s.fake.Spans["/datacube/getuserread"])
			}
			yesterday := parse(tc.today).AddDate(0, 0, -1)
			got := s.stored(t, yesterday.AddDate(0, 0, -9).Format(time.DateOnly), yesterday.Format(time.DateOnly))
			if len(got) != 10 {
				t.Fatalf("%d days stored, want 10", len(got))
			}
			day, _, _ := s.fake.Answer(yesterday)
			total := day.Channels[len(day.Channels)-1]
			d := got[yesterday.Format(time.DateOnly)]
			if d.Reads != total.ReadCount || d.ReadUsers != total.ReadUser || d.Shares != total.ShareCount || d.Favourites != total.AddFavCount || d.CumulativeUsers != day.Cumulate {
				t.Errorf("stored %+v; getuserread's total row is %+v", d, total)
			}
			if tc.noNew && !strings.Contains(s.logs.String(), "lacks the endpoints") {
				t.Errorf("the fallback is not logged:\n%s", s.logs)
			}
		})
	}
}

func TestWeChatErrorsAreClearAndKeepTheSecret(t *testing.T) {
	s := newSetup(t, "2026-10-01", "2026-11-24", "10:00")
	s.fake.BadAppID = true
	_, err := s.src.Ingest(context.Background(), s.store, "r")
	if err == nil || !strings.Contains(err.Error(), "errcode 40013") || !strings.Contains(err.Error(), "AppID is wrong") {
		t.Fatalf("err = %v", err)
	}
	if retry.Transient(err) {
		t.Error("a wrong AppID is treated as worth retrying")
	}
	if strings.Contains(err.Error(), wechattest.AppSecret) {
		t.Error("the error shows the AppSecret")
	}
	// A transport failure must not show the access token in the address.
	s.src.BaseURL = "http://127.0.0.1:1"
	_, err = s.src.Ingest(context.Background(), s.store, "r")
	if err == nil || strings.Contains(err.Error(), wechattest.AppSecret) || strings.Contains(err.Error(), "access_token=") {
		t.Errorf("transport error = %v", err)
	}
}

func TestWeChatBusyIsTriedAgain(t *testing.T) {
	s := newSetup(t, "2026-10-01", "2026-11-24", "10:00")
	s.fake.BusyOnce = true
	s.ingest(t)
	if got := s.stored(t, "2026-11-14", "2026-11-23"); len(got) != 10 {
		t.Errorf("%d days stored after a busy answer, want 10", len(got))
	}
}

func TestWeChatQuotaKeepsWhatWasFetchedAndResumes(t *testing.T) {
	s := newSetup(t, "2026-10-01", "2026-11-24", "10:00")
	s.fake.QuotaAt = 17 // the first week takes 2 + 7×2 calls
	s.src.BackfillDays = 14
	out, err := s.src.Ingest(context.Background(), s.store, "r1")
	if err == nil || !strings.Contains(err.Error(), "quota") || !strings.Contains(err.Error(), "stopped at 2026-11-17 (7 days before it are stored)") {
		t.Fatalf("err = %v", err)
	}
	if out.Accepted != 7 {
		t.Errorf("%d days kept, want the first week", out.Accepted)
	}
	s.fake.QuotaAt = 0
	out, err = s.src.Ingest(context.Background(), s.store, "r2")
	if err != nil || out.Accepted != 10 {
		t.Fatalf("resume: %d days, %v; want the remaining 7 and the last 3 stored again", out.Accepted, err)
	}
	if got := s.stored(t, "2026-11-10", "2026-11-23"); len(got) != 14 {
		t.Errorf("%d days stored, want 14", len(got))
	}
}

func parse(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
