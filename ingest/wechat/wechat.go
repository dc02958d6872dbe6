// Package wechat is the source that reads an official account's daily
// figures from the WeChat data API (datacube): followers (new, cancelled,
// cumulative, by where they came from) and article reads and shares.
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
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultBase is the address of the WeChat official-account API.
const DefaultBase = "https://api.weixin.qq.com"

// The API's limits on one request's span of days (datacube documentation).
const (
	spanUserSummary = 7 // getusersummary, getusercumulate
	spanUserRead    = 3 // getuserread
)

// Source fetches an official account's daily figures from the WeChat data
// API (datacube) for an account the bureau operates. Each run fetches from
// the day after the last stored day up to yesterday (China time), so a
// missed night is filled in; the first run goes BackfillDays back.
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
	// From and To bound the days of one run when set (followrank ingest
	// --from/--to); otherwise From follows the last stored day and To is
	// yesterday.
	From, To time.Time
	Location *time.Location // default Asia/Shanghai
	Now      func() time.Time
	// Retry is the first wait after "system busy" (-1), doubled each time.
	Retry time.Duration

	mu      sync.Mutex
	token   string
	expires time.Time
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
		return "the account is not authorised for the data API (it must be a verified account)"
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

// accessToken returns a cached token, or gets a new one from the stable
// token endpoint (the secret goes in the body, not the address).
func (w *Source) accessToken(ctx context.Context, refresh bool) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if !refresh && w.token != "" && now.Before(w.expires) {
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
	req := map[string]any{"grant_type": "client_credential", "appid": w.AppID, "secret": secret, "force_refresh": refresh}
	if err := w.post(ctx, "/cgi-bin/stable_token", "", req, &tok); err != nil {
		return "", err
	}
	if tok.Token == "" {
		return "", errors.New("WeChat /cgi-bin/stable_token: the answer holds no access_token")
	}
	// Refresh five minutes early, so a token never expires mid-run.
	w.token, w.expires = tok.Token, now.Add(time.Duration(tok.Expires)*time.Second-5*time.Minute)
	return w.token, nil
}

func (w *Source) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// call posts to a datacube endpoint with the access token: an invalid or
// expired token is refreshed once, and "system busy" (-1) and broken
// connections are tried again with backoff (see package retry).
func (w *Source) call(ctx context.Context, endpoint string, from, to time.Time, out any) error {
	body := map[string]string{"begin_date": from.Format(time.DateOnly), "end_date": to.Format(time.DateOnly)}
	wait := w.Retry
	if wait == 0 {
		wait = 2 * time.Second
	}
	refreshed := false
	return retry.Policy{Attempts: 4, Wait: wait}.Do(ctx, func(ctx context.Context) error {
		tok, err := w.accessToken(ctx, false)
		if err != nil {
			return err
		}
		err = w.post(ctx, endpoint, "?access_token="+url.QueryEscape(tok), body, out)
		var ae *APIError
		if errors.As(err, &ae) && ae.tokenInvalid() {
			if refreshed {
				return &permanent{err} // a fresh token refused too: trying again will not help
			}
			refreshed = true
			if _, rerr := w.accessToken(ctx, true); rerr != nil {
				return rerr
			}
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

// allSources is the user_source getuserread uses for the total over sources.
const allSources = 99999999

// Days fetches the account's figures for from..to, both included, in spans
// the API accepts. An empty day (no new followers, nothing read) is kept
// with zeros.
func (w *Source) Days(ctx context.Context, from, to time.Time) ([]model.AccountDay, error) {
	days := map[string]*model.AccountDay{}
	var order []string
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		days[key] = &model.AccountDay{Account: w.Account, Date: d}
		order = append(order, key)
	}
	get := func(key string) *model.AccountDay { return days[key] } // nil for a day outside the span
	for _, span := range spans(from, to, spanUserSummary) {
		var sum datacubeList[userSummary]
		if err := w.call(ctx, "/datacube/getusersummary", span[0], span[1], &sum); err != nil {
			return nil, err
		}
		for _, s := range sum.List {
			if d := get(s.RefDate); d != nil {
				d.NewUsers += s.NewUser
				d.CancelledUsers += s.CancelUser
				d.Sources = append(d.Sources, model.AccountSource{Source: s.UserSource, NewUsers: s.NewUser, CancelledUsers: s.CancelUser})
			}
		}
		var cum datacubeList[userCumulate]
		if err := w.call(ctx, "/datacube/getusercumulate", span[0], span[1], &cum); err != nil {
			return nil, err
		}
		for _, c := range cum.List {
			if d := get(c.RefDate); d != nil {
				d.CumulativeUsers = c.CumulateUser
			}
		}
	}
	for _, span := range spans(from, to, spanUserRead) {
		var read datacubeList[userRead]
		if err := w.call(ctx, "/datacube/getuserread", span[0], span[1], &read); err != nil {
			return nil, err
		}
		// Prefer the total over sources where the API gives one.
		total := map[string]bool{}
		for _, r := range read.List {
			if r.UserSource == allSources {
				total[r.RefDate] = true
			}
		}
		for _, r := range read.List {
			d := get(r.RefDate)
			if d == nil || (total[r.RefDate] && r.UserSource != allSources) {
				continue
			}
			d.Reads += r.IntPageReadCount
			d.ReadUsers += r.IntPageReadUser
			d.Shares += r.ShareCount
			d.Favourites += r.AddToFavCount
		}
	}
	out := make([]model.AccountDay, len(order))
	for i, k := range order {
		out[i] = *days[k]
	}
	return out, nil
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

// Ingest fetches the days not stored yet, up to yesterday, a week at a time,
// storing each week before asking for the next; a failure keeps what was
// stored and says where it stopped, and the next run resumes there.
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
		to = yesterday // the API has no figures for today yet
	}
	if w.From.IsZero() {
		last, ok, err := sink.LastAccountDay(ctx, w.Account)
		if err != nil {
			return out, err
		}
		if ok {
			from = last.AddDate(0, 0, 1)
		} else {
			from = yesterday.AddDate(0, 0, 1-max(w.BackfillDays, 1))
		}
	}
	if from.After(to) {
		out.Items = append(out.Items, fmt.Sprintf("%s: up to date (last day %s)", w.Account, to.Format(time.DateOnly)))
		return out, nil
	}
	for _, week := range spans(from, to, spanUserSummary) {
		days, err := w.Days(ctx, week[0], week[1])
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
	}
	out.Items = append(out.Items, fmt.Sprintf("%s: %d days, %s to %s", w.Account, out.Accepted, from.Format(time.DateOnly), to.Format(time.DateOnly)))
	return out, nil
}

// shanghai is China's time zone, in which the API's days are counted.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
