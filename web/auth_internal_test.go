package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"followrank/config"
	"followrank/units"
)

func TestAllowedScopes(t *testing.T) {
	town := units.Node{Code: "341622100", Name: "城关街道", Parent: "341622", Level: units.Unit}
	tree, err := units.NewTree(append(units.Builtin(), town))
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{}, Deps{Log: slog.New(slog.DiscardHandler)})
	signedIn := func(name, scope string) context.Context {
		return withUser(context.Background(), user{name: name, scope: scope})
	}
	tests := []struct {
		who   string
		ctx   context.Context
		scope string
		want  bool
	}{
		{"no user (the read token, or no accounts)", context.Background(), "涡阳县", true},
		{"a user without a scope", signedIn("王芳", ""), "涡阳县", true},
		{"蒙城县's user", signedIn("李明", "蒙城县"), "蒙城县", true},
		{"蒙城县's user", signedIn("李明", "蒙城县"), "城关街道", true},
		{"蒙城县's user", signedIn("李明", "蒙城县"), "亳州市", true},
		{"蒙城县's user", signedIn("李明", "蒙城县"), "安徽省", true},
		{"蒙城县's user", signedIn("李明", "蒙城县"), "000000", true}, // 全国
		{"蒙城县's user", signedIn("李明", "蒙城县"), "涡阳县", false},
		{"蒙城县's user", signedIn("李明", "蒙城县"), "合肥市", false},
		{"蒙城县's user", signedIn("李明", "蒙城县"), "庐阳区", false},
		{"蒙城县's user", signedIn("李明", "蒙城县"), "江苏省", false},
		{"a user scoped by code", signedIn("李明", "341622"), "城关街道", true},
		{"a user scoped by code", signedIn("李明", "341622"), "涡阳县", false},
		{"亳州市's user", signedIn("赵刚", "亳州市"), "涡阳县", true},
		{"亳州市's user", signedIn("赵刚", "亳州市"), "安徽省", true},
		{"亳州市's user", signedIn("赵刚", "亳州市"), "阜阳市", false},
		{"a user whose scope names no unit", signedIn("钱强", "火星县"), "安徽省", false},
	}
	for _, tt := range tests {
		t.Run(tt.who+" reads "+tt.scope, func(t *testing.T) {
			scope, err := tree.Find(tt.scope, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := s.allowed(tt.ctx, scope, tree); got != tt.want {
				t.Errorf("allowed = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestThrottleWindows(t *testing.T) {
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	th := &throttle{now: func() time.Time { return now }, strikes: map[string]strike{}}
	for i := range maxFailures {
		if wait := th.try("name:王芳", "addr:10.0.0.1"); wait != 0 {
			t.Fatalf("attempt %d refused", i+1)
		}
		now = now.Add(time.Minute)
	}
	if wait := th.try("name:王芳", "addr:10.0.0.2"); wait != 10*time.Minute {
		t.Errorf("the name's 6th attempt, 5 minutes into its window: wait %v, want 10m", wait)
	}
	if wait := th.try("name:李明", "addr:10.0.0.1"); wait != 10*time.Minute {
		t.Errorf("the address's 6th attempt: wait %v, want 10m", wait)
	}
	if wait := th.try("name:李明", "addr:10.0.0.2"); wait != 0 {
		t.Errorf("another name from another address: wait %v, want none", wait)
	}
	now = now.Add(10 * time.Minute) // the window has passed
	if wait := th.try("name:王芳", "addr:10.0.0.1"); wait != 0 {
		t.Errorf("after the window: wait %v, want none", wait)
	}
}

func TestSuccessForgetsTheNamesFailures(t *testing.T) {
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	th := &throttle{now: func() time.Time { return now }, strikes: map[string]strike{}}
	// Each attempt from another address: the address limit is not the one
	// tested here.
	attempt := func(i int) time.Duration { return th.try("name:王芳", fmt.Sprintf("addr:10.0.0.%d", i)) }
	for i := range maxFailures - 1 {
		if wait := attempt(i); wait != 0 {
			t.Fatalf("failure %d refused", i+1)
		}
	}
	th.try("name:王芳", "addr:10.0.1.1")
	th.succeeded("name:王芳", "addr:10.0.1.1")
	for i := range maxFailures {
		if wait := attempt(100 + i); wait != 0 {
			t.Fatalf("failure %d after the success refused: the success did not reset the count", i+1)
		}
	}
	if wait := attempt(200); wait == 0 {
		t.Errorf("a 6th attempt after 5 failures since the success: not refused")
	}
	// A success takes back the attempt it counted against the address, but
	// not the address's failures.
	th.try("name:李明", "addr:10.0.2.1")
	th.try("name:李明", "addr:10.0.2.1")
	th.succeeded("name:李明", "addr:10.0.2.1")
	if got := th.strikes["addr:10.0.2.1"].n; got != 1 {
		t.Errorf("the address has %d failures, want 1", got)
	}
}

func TestThrottleForgetsTheOldestWhenFull(t *testing.T) {
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	th := &throttle{now: func() time.Time { return now }, strikes: map[string]strike{}}
	for i := range maxTracked + 100 {
		th.try(fmt.Sprintf("name:%d", i))
		now = now.Add(time.Millisecond)
	}
	if len(th.strikes) > maxTracked {
		t.Errorf("%d keys kept, want at most %d", len(th.strikes), maxTracked)
	}
	if _, ok := th.strikes["name:0"]; ok {
		t.Error("the oldest key was kept")
	}
	if _, ok := th.strikes[fmt.Sprintf("name:%d", maxTracked+99)]; !ok {
		t.Error("the newest key was dropped")
	}
}

func TestSessionEndsAfter12Hours(t *testing.T) {
	now := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	a := newAuth(Config{Users: []config.User{{Name: "王芳", PasswordHash: "$2a$04$v.ujz/BOoDaVuG3wQX4HPOSmvqlp9sm0gazde/wj2eGMOi.2R4DhC"}}}, slog.New(slog.DiscardHandler))
	a.now = func() time.Time { return now }
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(a.newSession(a.users["王芳"], r))
	for _, tt := range []struct {
		after time.Duration
		want  bool
	}{{0, true}, {12*time.Hour - time.Second, true}, {12 * time.Hour, false}} {
		now = time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC).Add(tt.after)
		if _, ok := a.session(r); ok != tt.want {
			t.Errorf("after %v: signed in %v, want %v", tt.after, ok, tt.want)
		}
	}
	// A new password ends the sessions of the old one.
	now = time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	acc := a.users["王芳"]
	acc.hash = []byte("$2a$04$Z6cwKFITTIs7B6iq66zt/emgfOj.cM8g2TJhjert5k1luXEMykYGG")
	a.users["王芳"] = acc
	if _, ok := a.session(r); ok {
		t.Error("a session of the old password is still valid")
	}
}

// TestAbandonedRequestsAreNotErrors: a request whose reader left (its
// context cancelled, so ClickHouse's read was cancelled too) is logged at
// debug, not as a failure, and nothing is written; the same failure with
// the reader still there is an error.
func TestAbandonedRequestsAreNotErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		cancel bool
		want   string
	}{
		{"reader left", true, "level=DEBUG msg=\"request abandoned\""},
		{"reader waits", false, "level=ERROR msg=\"request failed\""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := &Server{log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			} else {
				defer cancel()
			}
			r := httptest.NewRequest("GET", "/?within=340000", nil).WithContext(ctx)
			w := httptest.NewRecorder()
			s.fail(w, r, fmt.Errorf("read figures: %w", context.Canceled))
			if !strings.Contains(logs.String(), tt.want) {
				t.Errorf("log:\n%s\nwant %s", logs.String(), tt.want)
			}
			if tt.cancel && w.Body.Len() != 0 {
				t.Errorf("an answer was written to nobody: %q", w.Body.String())
			}
		})
	}
}
