// Package wechattest is a fake of the WeChat official-account API for tests:
// the stable-token endpoint and the datacube endpoints followrank reads.
package wechattest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

const (
	AppID     = "wx0123456789abcdef"
	AppSecret = "SECRET-never-shown-0123456789"
)

// Fake follows the documented shapes of the stable-token and datacube
// endpoints: JSON bodies with begin_date and end_date, errcode answers,
// span limits (7 days for user summary and cumulate, 3 for user read), no
// figures for today, and days without figures left out of the list.
type Fake struct {
	mu        sync.Mutex
	Today     time.Time
	Tokens    int            // tokens issued
	valid     string         // the one valid token
	ExpireAt  int            // expire the token after this many datacube calls (0: never)
	QuotaAt   int            // answer 45009 from this datacube call on (0: never)
	BusyOnce  bool           // answer -1 once
	BadAppID  bool           // answer 40013 to the token request
	Calls     int            // datacube calls
	Spans     map[string]int // endpoint → longest span asked
	EmptyDays map[string]bool
}

func New(t testing.TB, today time.Time) (*Fake, *httptest.Server) {
	f := &Fake{Today: today, Spans: map[string]int{}, EmptyDays: map[string]bool{"2024-07-04": true}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func errcode(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, map[string]any{"errcode": code, "errmsg": msg})
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
	if r.URL.Path == "/cgi-bin/stable_token" {
		if f.BadAppID || body["appid"] != AppID {
			errcode(w, 40013, "invalid appid")
			return
		}
		if body["secret"] != AppSecret || body["grant_type"] != "client_credential" {
			errcode(w, 40125, "invalid appsecret")
			return
		}
		f.Tokens++
		f.valid = fmt.Sprintf("token-%d", f.Tokens)
		writeJSON(w, map[string]any{"access_token": f.valid, "expires_in": 7200})
		return
	}
	if tok := r.URL.Query().Get("access_token"); tok != f.valid {
		errcode(w, 40001, "invalid credential, access_token is invalid or not latest")
		return
	}
	f.Calls++
	if f.ExpireAt > 0 && f.Calls == f.ExpireAt {
		f.valid = "expired"
		errcode(w, 42001, "access_token expired")
		return
	}
	if f.QuotaAt > 0 && f.Calls >= f.QuotaAt {
		errcode(w, 45009, "reach max api daily quota limit")
		return
	}
	if f.BusyOnce {
		f.BusyOnce = false
		errcode(w, -1, "system error")
		return
	}
	begin, err1 := time.Parse(time.DateOnly, fmt.Sprint(body["begin_date"]))
	end, err2 := time.Parse(time.DateOnly, fmt.Sprint(body["end_date"]))
	if err1 != nil || err2 != nil {
		errcode(w, 61500, "date format error")
		return
	}
	limit := map[string]int{"/datacube/getusersummary": 7, "/datacube/getusercumulate": 7, "/datacube/getuserread": 3}[r.URL.Path]
	span := int(end.Sub(begin).Hours()/24) + 1
	if limit == 0 {
		errcode(w, 40066, "invalid url")
		return
	}
	if span > f.Spans[r.URL.Path] {
		f.Spans[r.URL.Path] = span
	}
	if span < 1 || span > limit || !end.Before(f.Today) {
		errcode(w, 61501, "date range error")
		return
	}
	var list []map[string]any
	for d := begin; !d.After(end); d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		if f.EmptyDays[day] && r.URL.Path != "/datacube/getusercumulate" {
			continue
		}
		n := d.Day()
		switch r.URL.Path {
		case "/datacube/getusersummary":
			list = append(list,
				map[string]any{"ref_date": day, "user_source": 0, "new_user": n, "cancel_user": 1},
				map[string]any{"ref_date": day, "user_source": 1, "new_user": 2 * n, "cancel_user": 0})
		case "/datacube/getusercumulate":
			list = append(list, map[string]any{"ref_date": day, "cumulate_user": 1000 + 10*n})
		case "/datacube/getuserread":
			list = append(list,
				map[string]any{"ref_date": day, "user_source": 0, "int_page_read_user": 5, "int_page_read_count": 7, "share_count": 1, "add_to_fav_count": 0},
				map[string]any{"ref_date": day, "user_source": 99999999, "int_page_read_user": 40 + n, "int_page_read_count": 50 + n, "share_count": 3, "add_to_fav_count": 1})
		}
	}
	writeJSON(w, map[string]any{"list": list})
}
