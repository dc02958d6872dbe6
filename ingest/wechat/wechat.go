// Package wechat is the source that reads an official account's daily
// figures from the WeChat data API (datacube): followers (new, cancelled,
// cumulative, by where they came from) and what followers read and shared.
//
// The API is read as its documentation says it behaves (the fake in
// wechattest cites it): a day's figures exist only after 08:00 China time
// the next morning, and the content figures may still be revised for a
// while after (is_delay), so a day the API has not answered is not stored,
// and every run fetches the last few stored days again.
package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"followrank/ingest"
	"followrank/model"
	"followrank/retry"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultBase is the address of the WeChat official-account API.
const DefaultBase = "https://api.weixin.qq.com"

// The API's limits on one request's span of days (最大时间跨度).
const (
	spanUserSummary = 7 // getusersummary, getusercumulate
	spanUserRead    = 3 // getuserread (已停止维护: for days before NewEndpointsFrom)
	spanContent     = 1 // getbizsummary, getarticleread (日期范围仅支持查询1天)
)

// NewEndpointsFrom is the first day the endpoints that replace getuserread
// have figures for (数据存储起始时间为2025-11-01); earlier days are read
// from getuserread.
var NewEndpointsFrom = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)

// DefaultRefetchDays is how many of the last stored days each run fetches
// again, for late and revised figures.
const DefaultRefetchDays = 3

// Source fetches an official account's daily figures from the WeChat data
// API (datacube) for an account the bureau operates. Each run fetches the
// last RefetchDays stored days again and every day after them up to
// yesterday (China time), so a missed night, a day WeChat had not yet
// published and a day it revised are all filled in; the first run goes
// BackfillDays back.
//
// It is a small client of its own rather than an SDK: the SDKs for Go fix
// the API's address in constants, and followrank needs it configurable for
// intranet proxies and for tests.
type Source struct {
	Account string // the name figures are stored under, e.g. 蒙城银辉
	AppID   string
	// Secret returns the AppSecret; it is read when a token is needed and
	// never logged or put into an error.
	Secret       func() (string, error)
	BaseURL      string // default DefaultBase
	Client       *http.Client
	BackfillDays int
	RefetchDays  int // default DefaultRefetchDays
	// From and To bound the days of one run when set (followrank ingest
	// --from/--to); otherwise From follows the last stored day and To is
	// yesterday.
	From, To time.Time
	Location *time.Location // default Asia/Shanghai
	Now      func() time.Time
	// Retry is the first wait after "system busy" (-1), doubled each time.
	Retry time.Duration
	Log   *slog.Logger // default slog.Default()

	mu      sync.Mutex
	token   string
	expires time.Time
	// legacy is set once the account answers that it lacks the endpoints
	// that replace getuserread.
	legacy bool
}

// Name is the source's name in schedules and runs.
func (*Source) Name() string { return "wechat" }

// Backfills says a missed run is worth catching up: past days can be fetched.
func (*Source) Backfills() bool { return true }

// APIError is an error the API answered with (errcode, errmsg).
type APIError struct {
	Endpoint string
	Code     int
	Msg      string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("WeChat %s: errcode %d (%s): %s", e.Endpoint, e.Code, e.Msg, explain(e.Code))
}

// Transient says whether trying again within the same run may succeed
// (see package retry): not for a wrong AppID or secret, a missing
// whitelist entry or a used-up quota.
func (e *APIError) Transient() bool {
	switch e.Code {
	case -1, 40001, 40014, 42001:
		return true
	}
	return false
}

// explain says what an errcode means for the person running followrank.
func explain(code int) string {
	switch code {
	case -1:
		return "WeChat is busy; try again later"
	case 40001, 40014, 42001:
		return "the access token is invalid or expired"
	case 40013:
		return "the AppID is wrong: check sources.wechat.app_id"
	case 40125, 40001001:
		return "the AppSecret is wrong: check the secret given by sources.wechat.app_secret_env or app_secret_file"
	case 40164:
		return "this server's IP address is not in the account's IP whitelist (公众平台 → 设置与开发 → 基本配置 → IP白名单)"
	case 45009, 45011, 45033:
		return "the API's quota is used up for today; the rest is fetched by the next run"
	case 48001:
		return "the account is not authorised for this API (the data API needs a verified account)"
	case 61500:
		return "the API refused the date format"
	case 61501:
		return "the API refused the date range (too long, or not yet available)"
	}
	return "see the WeChat API's error code list"
}

// quota says the error ends the run for today.
func quota(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && (ae.Code == 45009 || ae.Code == 45011 || ae.Code == 45033)
}

func (w *Source) base() string {
	if w.BaseURL != "" {
		return strings.TrimRight(w.BaseURL, "/")
	}
	return DefaultBase
}

func (w *Source) client() *http.Client {
	if w.Client != nil {
		return w.Client
	}
	return &http.Client{Timeout: 30 * time.Second}
}

// post sends a JSON body and decodes the answer into out, turning errcode
// answers into *APIError. Transport errors are stripped of the address,
// which carries the access token.
func (w *Source) post(ctx context.Context, endpoint, query string, body, out any) error {
	buf, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.base()+endpoint+query, bytes.NewReader(buf))
	if err != nil {
		return fmt.Errorf("WeChat %s: bad base URL", endpoint)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.client().Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("WeChat %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("WeChat %s: %w", endpoint, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("WeChat %s: HTTP %d", endpoint, resp.StatusCode)
	}
	var e struct {
		Code *int   `json:"errcode"`
		Msg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return fmt.Errorf("WeChat %s: the answer is not JSON", endpoint)
	}
	if e.Code != nil && *e.Code != 0 {
		return &APIError{Endpoint: endpoint, Code: *e.Code, Msg: e.Msg}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("WeChat %s: unexpected answer: %v", endpoint, err)
	}
	return nil
}

// tokenMode is how accessToken gets a token.
type tokenMode int

const (
	cached tokenMode = iota // the token held, while it is valid; else normal mode
	normal                  // stable_token in normal mode: the token in force, renewed near its expiry
	force                   // stable_token with force_refresh: invalidates every other holder's token
)

// accessToken returns a token from the stable token endpoint (the secret
// goes in the body, not the address). Normal mode is the documentation's
// choice for nearly every case: repeated calls return the token in force,
// which other systems of the same AppID hold too. Forced refresh revokes
// theirs; call only picks it when normal mode keeps giving a refused token.
func (w *Source) accessToken(ctx context.Context, mode tokenMode) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if mode == cached && w.token != "" && now.Before(w.expires) {
		return w.token, nil
	}
	secret, err := w.Secret()
	if err != nil {
		return "", fmt.Errorf("WeChat AppSecret: %w", err)
	}
	var tok struct {
		Token   string `json:"access_token"`
		Expires int    `json:"expires_in"`
	}
	req := map[string]any{"grant_type": "client_credential", "appid": w.AppID, "secret": secret}
	if mode == force {
		req["force_refresh"] = true
	}
	if err := w.post(ctx, "/cgi-bin/stable_token", "", req, &tok); err != nil {
		return "", err
	}
	if tok.Token == "" {
		return "", errors.New("WeChat /cgi-bin/stable_token: the answer holds no access_token")
	}
	// Ask again in the token's last five minutes, when normal mode renews it.
	w.token, w.expires = tok.Token, now.Add(time.Duration(tok.Expires)*time.Second-5*time.Minute)
	return w.token, nil
}

func (w *Source) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Source) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.Default()
}

// call posts to a datacube endpoint with the access token. A refused token
// is replaced by asking normal mode for the token in force (another system
// of the same AppID may have renewed it); only when normal mode gives back
// the very token refused is a refresh forced, once, and logged. "System
// busy" (-1) and broken connections are tried again with backoff (see
// package retry).
func (w *Source) call(ctx context.Context, endpoint string, from, to time.Time, out any) error {
	body := map[string]string{"begin_date": from.Format(time.DateOnly), "end_date": to.Format(time.DateOnly)}
	wait := w.Retry
	if wait == 0 {
		wait = 2 * time.Second
	}
	forced := false
	return retry.Policy{Attempts: 4, Wait: wait}.Do(ctx, func(ctx context.Context) error {
		tok, err := w.accessToken(ctx, cached)
		if err != nil {
			return err
		}
		err = w.post(ctx, endpoint, "?access_token="+url.QueryEscape(tok), body, out)
		var ae *APIError
		if !errors.As(err, &ae) || !ae.tokenInvalid() {
			return err
		}
		fresh, terr := w.accessToken(ctx, normal)
		if terr != nil {
			return terr
		}
		if fresh != tok {
			return err // tried again with the token in force
		}
		if forced {
			return &permanent{err} // a forced token refused too: trying again will not help
		}
		forced = true
		w.log().Warn("WeChat refuses the token that normal mode gives; forcing a refresh, which invalidates the token of every other system using this AppID",
			"account", w.Account, "errcode", ae.Code)
		if _, terr := w.accessToken(ctx, force); terr != nil {
			return terr
		}
		return err
	})
}

// tokenInvalid says the API refused the access token as invalid or expired.
func (e *APIError) tokenInvalid() bool { return e.Code == 40001 || e.Code == 40014 || e.Code == 42001 }

// permanent marks an error as not worth another try.
type permanent struct{ error }

func (p *permanent) Unwrap() error   { return p.error }
func (p *permanent) Transient() bool { return false }

type datacubeList[T any] struct {
	List []T `json:"list"`
	// IsDelay is the getbizsummary family's "not final yet".
	IsDelay bool `json:"is_delay"`
}

type userSummary struct {
	RefDate    string `json:"ref_date"`
	UserSource int    `json:"user_source"`
	NewUser    uint32 `json:"new_user"`
	CancelUser uint32 `json:"cancel_user"`
}

type userCumulate struct {
	RefDate      string `json:"ref_date"`
	CumulateUser uint32 `json:"cumulate_user"`
}

type userRead struct {
	RefDate          string `json:"ref_date"`
	UserSource       int    `json:"user_source"`
	IntPageReadUser  uint64 `json:"int_page_read_user"`
	IntPageReadCount uint64 `json:"int_page_read_count"`
	ShareCount       uint64 `json:"share_count"`
	AddToFavCount    uint64 `json:"add_to_fav_count"`
}

type bizSummary struct {
	RefDate string `json:"ref_date"`
	Detail  struct {
		ReadUser   uint64 `json:"read_user"`
		ShareUser  uint64 `json:"share_user"`
		ZaikanUser uint64 `json:"zaikan_user"`
		LikeUser   uint64 `json:"like_user"`
	} `json:"detail"`
}

type articleRead struct {
	RefDate string `json:"ref_date"`
	MsgID   string `json:"msgid"`
	Detail  struct {
		ReadUser uint64 `json:"read_user"`
	} `json:"detail"`
}

// allSources is the user_source getuserread uses for the total over channels.
const allSources = 99999999

// Days fetches the account's figures for from..to, both included, in spans
// the API accepts. Only the days the API has answered are returned: a day
// it has not computed yet is left out, never filled with zeros. late lists
// the days whose content figures the API marks as not final (is_delay).
//
// Followers come from getusersummary and getusercumulate; what they read
// from getbizsummary (readers, sharers, likes) and getarticleread (reads,
// the sum over articles of each article's readers), or, for days before
// NewEndpointsFrom and accounts without those endpoints, from getuserread.
func (w *Source) Days(ctx context.Context, from, to time.Time) (days []model.AccountDay, late []time.Time, err error) {
	answered := map[string]*model.AccountDay{}
	for _, span := range spans(from, to, spanUserSummary) {
		var cum datacubeList[userCumulate]
		if err := w.call(ctx, "/datacube/getusercumulate", span[0], span[1], &cum); err != nil {
			return nil, nil, err
		}
		for _, c := range cum.List {
			if d, ok := within(c.RefDate, span); ok {
				answered[c.RefDate] = &model.AccountDay{Account: w.Account, Date: d, CumulativeUsers: c.CumulateUser}
			}
		}
		var sum datacubeList[userSummary]
		if err := w.call(ctx, "/datacube/getusersummary", span[0], span[1], &sum); err != nil {
			return nil, nil, err
		}
		for _, s := range sum.List {
			if d := answered[s.RefDate]; d != nil {
				d.NewUsers += s.NewUser
				d.CancelledUsers += s.CancelUser
				d.Sources = append(d.Sources, model.AccountSource{Source: s.UserSource, NewUsers: s.NewUser, CancelledUsers: s.CancelUser})
			}
		}
	}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if day := answered[d.Format(time.DateOnly)]; day != nil {
			days = append(days, *day)
		}
	}

	var legacy []*model.AccountDay
	for i := range days {
		d := &days[i]
		if d.Date.Before(NewEndpointsFrom) || w.legacy {
			legacy = append(legacy, d)
			continue
		}
		delayed, err := w.content(ctx, d)
		var ae *APIError
		if errors.As(err, &ae) && ae.Code == 48001 {
			w.log().Warn("the account lacks the endpoints that replace getuserread; reading its figures from getuserread", "account", w.Account)
			w.legacy = true
			legacy = append(legacy, d)
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if delayed {
			late = append(late, d.Date)
		}
	}
	if err := w.userRead(ctx, legacy); err != nil {
		return nil, nil, err
	}
	return days, late, nil
}

// content reads a day's readers, sharers and likes from getbizsummary and
// its reads from getarticleread, one day per request.
func (w *Source) content(ctx context.Context, d *model.AccountDay) (delayed bool, err error) {
	var biz datacubeList[bizSummary]
	if err := w.call(ctx, "/datacube/getbizsummary", d.Date, d.Date, &biz); err != nil {
		return false, err
	}
	ref := d.Date.Format(time.DateOnly)
	for _, b := range biz.List {
		if b.RefDate == ref {
			d.ReadUsers = b.Detail.ReadUser
			d.Shares = b.Detail.ShareUser
			d.Favourites = b.Detail.LikeUser + b.Detail.ZaikanUser
		}
	}
	var arts datacubeList[articleRead]
	if err := w.call(ctx, "/datacube/getarticleread", d.Date, d.Date, &arts); err != nil {
		return false, err
	}
	for _, a := range arts.List {
		if a.RefDate == ref {
			d.Reads += a.Detail.ReadUser
		}
	}
	return biz.IsDelay || arts.IsDelay, nil
}

// userRead reads days' reads, readers, shares and favourites from the
// deprecated getuserread, up to three consecutive days a request, taking
// the total over channels where the API gives one.
func (w *Source) userRead(ctx context.Context, days []*model.AccountDay) error {
	for i := 0; i < len(days); {
		j := i + 1
		for j < len(days) && j-i < spanUserRead && days[j].Date.Equal(days[j-1].Date.AddDate(0, 0, 1)) {
			j++
		}
		byDate := map[string]*model.AccountDay{}
		for _, d := range days[i:j] {
			byDate[d.Date.Format(time.DateOnly)] = d
		}
		var read datacubeList[userRead]
		if err := w.call(ctx, "/datacube/getuserread", days[i].Date, days[j-1].Date, &read); err != nil {
			return err
		}
		total := map[string]bool{}
		for _, r := range read.List {
			if r.UserSource == allSources {
				total[r.RefDate] = true
			}
		}
		for _, r := range read.List {
			d := byDate[r.RefDate]
			if d == nil || (total[r.RefDate] && r.UserSource != allSources) {
				continue
			}
			d.Reads += r.IntPageReadCount
			d.ReadUsers += r.IntPageReadUser
			d.Shares += r.ShareCount
			d.Favourites += r.AddToFavCount
		}
		i = j
	}
	return nil
}

// within parses an answer's ref_date and says whether it is in span.
func within(ref string, span [2]time.Time) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, ref)
	if err != nil || d.Before(span[0]) || d.After(span[1]) {
		return time.Time{}, false
	}
	return d, true
}

// spans cuts from..to into spans of at most n days.
func spans(from, to time.Time, n int) [][2]time.Time {
	var out [][2]time.Time
	for s := from; !s.After(to); s = s.AddDate(0, 0, n) {
		e := s.AddDate(0, 0, n-1)
		if e.After(to) {
			e = to
		}
		out = append(out, [2]time.Time{s, e})
	}
	return out
}

// Ingest fetches the last RefetchDays stored days again and the days after
// them up to yesterday, a week at a time, storing each week before asking
// for the next; a failure keeps what was stored and says where it stopped,
// and the next run resumes there. Days WeChat has not published yet, and
// days it has not finalised, are named in the outcome: the next run
// fetches them.
func (w *Source) Ingest(ctx context.Context, sink ingest.Sink, runID string) (ingest.Outcome, error) {
	var out ingest.Outcome
	loc := w.Location
	if loc == nil {
		loc = shanghai()
	}
	now := w.now().In(loc)
	yesterday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	from, to := model.Date(w.From), model.Date(w.To)
	if w.To.IsZero() || to.After(yesterday) {
		to = yesterday // the API has no figures for today
	}
	if w.From.IsZero() {
		last, ok, err := sink.LastAccountDay(ctx, w.Account)
		if err != nil {
			return out, err
		}
		refetch := w.RefetchDays
		if refetch <= 0 {
			refetch = DefaultRefetchDays
		}
		if ok {
			from = last.AddDate(0, 0, 1-refetch)
		} else {
			from = yesterday.AddDate(0, 0, 1-max(w.BackfillDays, 1))
		}
	}
	if from.After(to) {
		out.Items = append(out.Items, fmt.Sprintf("%s: 无新数据(最后一天 %s)", w.Account, to.Format(time.DateOnly)))
		return out, nil
	}
	var missing, late []time.Time
	for _, week := range spans(from, to, spanUserSummary) {
		days, delayed, err := w.Days(ctx, week[0], week[1])
		if err == nil {
			err = sink.WriteAccountDays(ctx, runID, days)
		}
		if err != nil {
			where := fmt.Sprintf("stopped at %s", week[0].Format(time.DateOnly))
			if out.Accepted > 0 {
				where += fmt.Sprintf(" (%d days before it are stored)", out.Accepted)
			}
			if quota(err) {
				return out, fmt.Errorf("%s: %w; %s, and the next run resumes there", w.Account, err, where)
			}
			return out, fmt.Errorf("%s: %w; %s", w.Account, err, where)
		}
		out.Accepted += len(days)
		out.Stored += len(days)
		missing = append(missing, absent(week, days)...)
		late = append(late, delayed...)
	}
	out.Items = append(out.Items, fmt.Sprintf("%s: %d 天, %s 至 %s", w.Account, out.Accepted, from.Format(time.DateOnly), to.Format(time.DateOnly)))
	if len(missing) > 0 {
		out.Items = append(out.Items, fmt.Sprintf("%s: %s 微信尚未公布(每天8点后公布前一天的数据),未存入,下次运行再取", w.Account, dayList(missing)))
	}
	if len(late) > 0 {
		out.Items = append(out.Items, fmt.Sprintf("%s: %s 的阅读数据微信尚未定稿,已存入,下次运行更新", w.Account, dayList(late)))
	}
	return out, nil
}

// absent lists the days of span the API did not answer.
func absent(span [2]time.Time, days []model.AccountDay) []time.Time {
	got := map[time.Time]bool{}
	for _, d := range days {
		got[d.Date] = true
	}
	var out []time.Time
	for d := span[0]; !d.After(span[1]); d = d.AddDate(0, 0, 1) {
		if !got[d] {
			out = append(out, d)
		}
	}
	return out
}

// dayList names days: all of up to three, else the first three and how
// many more.
func dayList(days []time.Time) string {
	var parts []string
	for i, d := range days {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("等 %d 天", len(days)))
			break
		}
		parts = append(parts, d.Format(time.DateOnly))
	}
	return strings.Join(parts, "、")
}

// shanghai is China's time zone, in which the API's days are counted.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
