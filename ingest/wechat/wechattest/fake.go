// Package wechattest is a fake of the WeChat official-account API: the
// stable-token endpoint and the datacube endpoints followrank reads. It
// follows the API's documentation, unkind parts included, so that the
// source is tested against what it will meet, not against itself:
//
//   - 获取稳定版接口调用凭据 (stable_token),
//     https://developers.weixin.qq.com/doc/service/api/base/api_getstableaccesstoken:
//     normal mode returns the token in force while it is valid and renews it
//     only in its last five minutes, when old and new both work for those
//     five minutes; forced refresh (force_refresh: true) invalidates the
//     previous token, is limited to 20 a day and, within 30 s of the last
//     one, does not refresh.
//   - 用户分析数据接口 (getusersummary, getusercumulate; span 7 days),
//     https://developers.weixin.qq.com/doc/service/api/wedata/user/api_getusersummary:
//     end_date at most yesterday; query the previous day after 08:00
//     (请于每天上午8点后查询公众号前一天的数据): before then the list has no
//     row for it. getusercumulate rows carry user_source too.
//   - 获取图文阅读概况数据 (getuserread; span 3 days; 已停止维护),
//     https://developers.weixin.qq.com/doc/service/api/wedata/news/api_getuserread:
//     one row per channel (user_source 0 会话 … 7 搜一搜) and the total over
//     channels as user_source 99999999.
//   - 获取发表内容概况总数据 / 每日阅读数据 (getbizsummary, getarticleread),
//     https://developers.weixin.qq.com/doc/service/api/wedata/news/api_getbizsummary
//     and …/api_getarticleread: one day per request (日期范围仅支持查询1天),
//     figures from 2025-11-01 only (数据存储起始时间为2025-11-01), an empty
//     list when nothing changed, and is_delay: true while the day is not
//     final.
//   - errcodes: 61500 date format, 61501 date range (span too long, or an
//     end date not before today), -1 system busy, 40001 invalid credential,
//     42001 token expired, 45009 daily quota, 40013 bad AppID, 40125 bad
//     AppSecret, 48001 API not authorised.
package wechattest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

const (
	AppID     = "wx0123456789abcdef"
	AppSecret = "SECRET-never-shown-0123456789"
)

// AllSources is the user_source of getuserread's total row.
const AllSources = 99999999

// NewEndpointsFrom is the first day the getbizsummary family has figures for.
var NewEndpointsFrom = time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)

// China is the API's time zone: its days and its 08:00 are China's.
var China = time.FixedZone("CST", 8*3600)

const tokenLife = 7200 * time.Second

// Fake is the API for one account whose days Series gives.
type Fake struct {
	mu     sync.Mutex
	Now    func() time.Time // the API's clock; time.Now when nil
	Series *Series
	// Ready is when, after the end of a day (China time), the API answers
	// for it: 8 hours, the documentation's 08:00. Final is when the
	// getbizsummary family stops answering is_delay for it, with figures
	// still growing until then (WeChat revises recent days).
	Ready, Final time.Duration

	// Faults a test injects.
	QuotaAt        int  // answer 45009 from this datacube call on (0: never)
	BusyOnce       bool // answer -1 once
	BadAppID       bool // answer 40013 to the token request
	NoNewEndpoints bool // answer 48001 to the getbizsummary family, as to an account without them
	// StaleNormal makes normal mode hand out a token the datacube then
	// refuses, the state in which the documentation's forced refresh is the
	// way out (a fault, not a documented behaviour).
	StaleNormal bool

	// What happened.
	Calls        int            // datacube calls
	Spans        map[string]int // endpoint → longest span asked
	NormalTokens int            // normal-mode token requests
	Forced       int            // forced refreshes that refreshed
	Issued       int            // tokens issued

	tokens    map[string]time.Time // valid tokens → when they expire
	current   string
	lastForce time.Time
	forcedOn  map[string]int // China day → forced refreshes
}

// New starts the fake on a local port for a test (a testing.TB); it is
// closed with the test.
func New(t interface{ Cleanup(func()) }, series *Series, now func() time.Time) (*Fake, *httptest.Server) {
	f := NewFake(series, now)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// NewFake is the fake as an http.Handler, for a server of the caller's:
// followrank demo serves a year of a county account through it, so the
// demo's account goes the way a real one does.
func NewFake(series *Series, now func() time.Time) *Fake {
	return &Fake{Series: series, Now: now, Ready: 8 * time.Hour, Final: 12 * time.Hour,
		Spans: map[string]int{}, tokens: map[string]time.Time{}, forcedOn: map[string]int{}}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Answer is day d as the API answers it now: ok is false when the API has
// no figures for it yet; delayed says the getbizsummary family marks it
// is_delay, with the figures it has so far.
func (f *Fake) Answer(d time.Time) (day Day, delayed, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.answer(d)
}

func (f *Fake) answer(d time.Time) (Day, bool, bool) {
	d = date(d)
	end := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, China)
	now := f.now()
	if now.Before(end.Add(f.Ready)) {
		return Day{}, false, false
	}
	day, ok := f.Series.Day(d)
	if !ok {
		return Day{}, false, false
	}
	if now.Before(end.Add(f.Final)) {
		// Not final: four in five of the day's readers are counted so far.
		part := func(n uint64) uint64 { return n * 4 / 5 }
		day.Biz = Biz{ReadUser: part(day.Biz.ReadUser), ShareUser: part(day.Biz.ShareUser), ZaikanUser: part(day.Biz.ZaikanUser), LikeUser: part(day.Biz.LikeUser), CommentCount: part(day.Biz.CommentCount)}
		arts := make([]ArticleRead, len(day.Articles))
		for i, a := range day.Articles {
			arts[i] = ArticleRead{MsgID: a.MsgID, ReadUser: part(a.ReadUser)}
		}
		day.Articles = arts
		return day, true, true
	}
	return day, false, true
}

// OtherSystemForcesRefresh is another system of the same AppID (an
// editors' tool, a third-party platform) forcing a refresh: the token this
// program holds stops working.
func (f *Fake) OtherSystemForcesRefresh() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.force(f.now())
}

func (f *Fake) issue(now time.Time) string {
	f.Issued++
	f.current = fmt.Sprintf("token-%d", f.Issued)
	f.tokens[f.current] = now.Add(tokenLife)
	return f.current
}

// force invalidates every token and issues a new one.
func (f *Fake) force(now time.Time) {
	clear(f.tokens)
	f.issue(now)
	f.lastForce = now
	f.forcedOn[now.In(China).Format(time.DateOnly)]++
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func errcode(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, map[string]any{"errcode": code, "errmsg": msg})
}

// Spans of the endpoints, in days (最大时间跨度).
var spans = map[string]int{
	"/datacube/getusersummary":  7,
	"/datacube/getusercumulate": 7,
	"/datacube/getuserread":     3,
	"/datacube/getbizsummary":   1,
	"/datacube/getarticleread":  1,
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method != http.MethodPost {
		errcode(w, 43002, "require POST method")
		return
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		errcode(w, 47001, "data format error")
		return
	}
	now := f.now()
	if r.URL.Path == "/cgi-bin/stable_token" {
		f.token(w, body, now)
		return
	}
	tok := r.URL.Query().Get("access_token")
	exp, ok := f.tokens[tok]
	if !ok {
		errcode(w, 40001, "invalid credential, access_token is invalid or not latest")
		return
	}
	if !now.Before(exp) {
		errcode(w, 42001, "access_token expired")
		return
	}
	f.Calls++
	if f.QuotaAt > 0 && f.Calls >= f.QuotaAt {
		errcode(w, 45009, "reach max api daily quota limit")
		return
	}
	if f.BusyOnce {
		f.BusyOnce = false
		errcode(w, -1, "system error")
		return
	}
	limit, known := spans[r.URL.Path]
	if !known {
		errcode(w, 40066, "invalid url")
		return
	}
	newFamily := r.URL.Path == "/datacube/getbizsummary" || r.URL.Path == "/datacube/getarticleread"
	if newFamily && f.NoNewEndpoints {
		errcode(w, 48001, "api unauthorized")
		return
	}
	begin, err1 := time.Parse(time.DateOnly, fmt.Sprint(body["begin_date"]))
	end, err2 := time.Parse(time.DateOnly, fmt.Sprint(body["end_date"]))
	if err1 != nil || err2 != nil {
		errcode(w, 61500, "date format error")
		return
	}
	span := int(end.Sub(begin).Hours()/24) + 1
	if span > f.Spans[r.URL.Path] {
		f.Spans[r.URL.Path] = span
	}
	today := date(now.In(China))
	if span < 1 || span > limit || !end.Before(today) {
		errcode(w, 61501, "date range error")
		return
	}
	list := []any{}
	delayed := false
	for d := begin; !d.After(end); d = d.AddDate(0, 0, 1) {
		if newFamily && d.Before(NewEndpointsFrom) {
			continue // 数据存储起始时间为2025-11-01,之前日期数据无效
		}
		day, late, ok := f.answer(d)
		if !ok {
			continue // not computed yet: no row, not a row of zeros
		}
		delayed = delayed || late
		ref := d.Format(time.DateOnly)
		switch r.URL.Path {
		case "/datacube/getusersummary":
			for _, s := range day.Sources {
				list = append(list, map[string]any{"ref_date": ref, "user_source": s.Source, "new_user": s.New, "cancel_user": s.Cancel})
			}
		case "/datacube/getusercumulate":
			list = append(list, map[string]any{"ref_date": ref, "user_source": 0, "cumulate_user": day.Cumulate})
		case "/datacube/getuserread":
			for _, c := range day.Channels {
				list = append(list, map[string]any{"ref_date": ref, "user_source": c.Source,
					"int_page_read_user": c.ReadUser, "int_page_read_count": c.ReadCount,
					"ori_page_read_user": 0, "ori_page_read_count": 0,
					"share_user": c.ShareUser, "share_count": c.ShareCount,
					"add_to_fav_user": c.AddFavUser, "add_to_fav_count": c.AddFavCount})
			}
		case "/datacube/getbizsummary":
			if day.Biz != (Biz{}) {
				list = append(list, map[string]any{"ref_date": ref, "detail": map[string]any{
					"read_user": day.Biz.ReadUser, "read_user_source": []any{},
					"share_user": day.Biz.ShareUser, "zaikan_user": day.Biz.ZaikanUser,
					"like_user": day.Biz.LikeUser, "comment_count": day.Biz.CommentCount}})
			}
		case "/datacube/getarticleread":
			for _, a := range day.Articles {
				list = append(list, map[string]any{"ref_date": ref, "msgid": a.MsgID,
					"detail": map[string]any{"read_user": a.ReadUser, "read_user_source": []any{}}})
			}
		}
	}
	if newFamily {
		writeJSON(w, map[string]any{"list": list, "is_delay": delayed})
		return
	}
	writeJSON(w, map[string]any{"list": list})
}

// token answers stable_token as the documentation describes.
func (f *Fake) token(w http.ResponseWriter, body map[string]any, now time.Time) {
	if f.BadAppID || body["appid"] != AppID {
		errcode(w, 40013, "invalid appid")
		return
	}
	if body["secret"] != AppSecret || body["grant_type"] != "client_credential" {
		errcode(w, 40125, "invalid appsecret")
		return
	}
	for t, exp := range f.tokens {
		if !now.Before(exp) {
			delete(f.tokens, t)
		}
	}
	if force, _ := body["force_refresh"].(bool); force {
		switch {
		case f.forcedOn[now.In(China).Format(time.DateOnly)] >= 20:
			errcode(w, 45009, "reach max api daily quota limit")
			return
		case !f.lastForce.IsZero() && now.Sub(f.lastForce) < 30*time.Second:
			// 连续使用该模式时,请保证调用时间隔至少为30s,否则不会刷新
		default:
			f.force(now)
			f.Forced++
		}
	} else {
		f.NormalTokens++
		if exp, ok := f.tokens[f.current]; !ok || exp.Sub(now) <= 5*time.Minute {
			f.issue(now) // the old token keeps working until it expires
		}
		if f.StaleNormal {
			writeJSON(w, map[string]any{"access_token": "stale-" + f.current, "expires_in": 7200})
			return
		}
	}
	writeJSON(w, map[string]any{"access_token": f.current, "expires_in": int(f.tokens[f.current].Sub(now).Seconds())})
}
