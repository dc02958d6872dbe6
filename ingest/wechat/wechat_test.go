package wechat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"followrank/ingest/wechat"
	"followrank/ingest/wechat/wechattest"
	"followrank/retry"
	"followrank/store/storetest"
)

func shanghaiNoon(day string) func() time.Time {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	d, _ := time.ParseInLocation(time.DateOnly, day, loc)
	return func() time.Time { return d.Add(12 * time.Hour) }
}

func newWeChat(base string, now string) *wechat.Source {
	return &wechat.Source{
		Account: "蒙城银辉", AppID: wechattest.AppID, Secret: func() (string, error) { return wechattest.AppSecret, nil },
		BaseURL: base, BackfillDays: 10, Now: shanghaiNoon(now), Retry: time.Millisecond,
	}
}

func TestWeChatBackfillsWithinSpanLimits(t *testing.T) {
	s := storetest.New(t)
	f, srv := wechattest.New(t, day("2024-07-11"))
	w := newWeChat(srv.URL, "2024-07-11")
	out, err := w.Ingest(context.Background(), s, "run1")
	if err != nil {
		t.Fatal(err)
	}
	if out.Accepted != 10 {
		t.Fatalf("%d days fetched, want 10 (2024-07-01 to 2024-07-10)", out.Accepted)
	}
	if f.Spans["/datacube/getuserread"] > 3 || f.Spans["/datacube/getusersummary"] > 7 {
		t.Errorf("spans asked %v exceed the API's limits", f.Spans)
	}
	days, err := s.AccountDays(context.Background(), "蒙城银辉", day("2024-07-01"), day("2024-07-10"))
	if err != nil || len(days) != 10 {
		t.Fatalf("stored %d days, %v", len(days), err)
	}
	d10 := days[9]
	if d10.NewUsers != 30 || d10.CancelledUsers != 1 || d10.CumulativeUsers != 1100 || d10.Reads != 60 || d10.ReadUsers != 50 || d10.Shares != 3 || d10.Favourites != 1 {
		t.Errorf("2024-07-10 = %+v", d10)
	}
	if d4 := days[3]; d4.NewUsers != 0 || d4.Reads != 0 || d4.CumulativeUsers != 1040 {
		t.Errorf("the empty day 2024-07-04 = %+v, want zeros and its cumulative count", d4)
	}
	if f.Tokens != 1 {
		t.Errorf("%d tokens fetched, want 1 (cached)", f.Tokens)
	}

	// The next night fetches only the new day; the night after that, nothing new is missed.
	w.Now = shanghaiNoon("2024-07-12")
	f.Today = day("2024-07-12")
	out, err = w.Ingest(context.Background(), s, "run2")
	if err != nil || out.Accepted != 1 {
		t.Fatalf("next run: %d days, %v; want 1", out.Accepted, err)
	}
	out, err = w.Ingest(context.Background(), s, "run3")
	if err != nil || out.Accepted != 0 || !strings.Contains(strings.Join(out.Items, " "), "up to date") {
		t.Fatalf("same day again: %+v, %v", out, err)
	}
}

func TestWeChatRefreshesAnExpiredToken(t *testing.T) {
	s := storetest.New(t)
	f, srv := wechattest.New(t, day("2024-07-11"))
	f.ExpireAt = 2
	f.BusyOnce = true
	w := newWeChat(srv.URL, "2024-07-11")
	if _, err := w.Ingest(context.Background(), s, "r"); err != nil {
		t.Fatal(err)
	}
	if f.Tokens != 2 {
		t.Errorf("%d tokens fetched, want 2 (one refresh after 42001)", f.Tokens)
	}
}

func TestWeChatErrorsAreClearAndKeepTheSecret(t *testing.T) {
	s := storetest.New(t)
	f, srv := wechattest.New(t, day("2024-07-11"))
	f.BadAppID = true
	w := newWeChat(srv.URL, "2024-07-11")
	_, err := w.Ingest(context.Background(), s, "r")
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
	w2 := newWeChat("http://127.0.0.1:1", "2024-07-11")
	_, err = w2.Ingest(context.Background(), s, "r")
	if err == nil || strings.Contains(err.Error(), wechattest.AppSecret) || strings.Contains(err.Error(), "access_token=") {
		t.Errorf("transport error = %v", err)
	}
}

func TestWeChatQuotaKeepsWhatWasFetchedAndResumes(t *testing.T) {
	s := storetest.New(t)
	f, srv := wechattest.New(t, day("2024-07-11"))
	f.QuotaAt = 6 // the first week takes 2 + 3 calls
	w := newWeChat(srv.URL, "2024-07-11")
	w.BackfillDays = 14
	out, err := w.Ingest(context.Background(), s, "r1")
	if err == nil || !strings.Contains(err.Error(), "quota") || !strings.Contains(err.Error(), "stopped at 2024-07-04 (7 days before it are stored)") {
		t.Fatalf("err = %v", err)
	}
	if out.Accepted != 7 {
		t.Errorf("%d days kept, want the first week", out.Accepted)
	}
	last, ok, _ := s.LastAccountDay(context.Background(), "蒙城银辉")
	if !ok || !last.Equal(day("2024-07-03")) {
		t.Errorf("last stored day %v, want 2024-07-03", last)
	}
	f.QuotaAt = 0
	out, err = w.Ingest(context.Background(), s, "r2")
	if err != nil || out.Accepted != 7 {
		t.Fatalf("resume: %d days, %v; want the remaining 7", out.Accepted, err)
	}
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}
