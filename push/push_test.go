package push

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"followrank/internal/golden"
	"followrank/push/pushtest"
	"followrank/retry"
)

// quick tries again at once, up to n times in all.
func quick(n int) retry.Policy { return retry.Policy{Attempts: n, Wait: time.Millisecond} }

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// The documentation's Python sample (自定义机器人安全设置, 加签), run with this
// timestamp and secret, prints this sign before it is URL-encoded.
func TestSignMatchesDocumentationSample(t *testing.T) {
	const want = "vokpwsrnVSIdfgmU/54ySjxLw7ZoYjzOlF4ScMT0o2M="
	if got := sign("SECthis is secret", 1577808000000); got != want {
		t.Errorf("sign = %q, want %q", got, want)
	}
	encoded := url.Values{"sign": {want}}.Encode()
	if want := "sign=vokpwsrnVSIdfgmU%2F54ySjxLw7ZoYjzOlF4ScMT0o2M%3D"; encoded != want {
		t.Errorf("in the address: %q, want %q (quote_plus)", encoded, want)
	}
}

// Each robot gets the summary exactly once per push, even when a first
// attempt fails and is tried again, and gets it as the golden files say.
func TestPushDeliversOncePerRun(t *testing.T) {
	wc := pushtest.NewWeCom(t)
	wc.Busy = 1
	dt := pushtest.NewDingTalk(t)
	dt.Busy = 1
	s := summaries["anhui"]
	robots := []Robot{
		&WeCom{Key: pushtest.WeComKey, BaseURL: wc.URL},
		&DingTalk{AccessToken: pushtest.DingTalkToken, Secret: pushtest.DingTalkSecret, BaseURL: dt.URL},
	}
	ds, err := Push(context.Background(), quick(3), quiet(), s, robots...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Err != nil || d.Attempts != 2 {
			t.Errorf("%s: %d attempts, %v; want 2 and no error", d.Robot, d.Attempts, d.Err)
		}
	}
	if m := wc.Messages(); len(m) != 1 {
		t.Errorf("WeCom took %d messages, want 1", len(m))
	} else {
		golden.Check(t, "testdata/anhui.wecom.md", []byte(m[0].Content))
	}
	if m := dt.Messages(); len(m) != 1 {
		t.Errorf("DingTalk took %d messages, want 1", len(m))
	} else {
		if m[0].Title != s.Title() {
			t.Errorf("DingTalk title %q, want %q", m[0].Title, s.Title())
		}
		golden.Check(t, "testdata/anhui.dingtalk.md", []byte(m[0].Text))
	}
}

// One robot refusing for good does not keep the summary from the others.
func TestPushOneRobotFailingLeavesOthers(t *testing.T) {
	wc := pushtest.NewWeCom(t)
	dt := pushtest.NewDingTalk(t)
	ds, err := Push(context.Background(), quick(3), quiet(), summaries["bozhou"],
		&WeCom{Key: "wrong", BaseURL: wc.URL},
		&DingTalk{AccessToken: pushtest.DingTalkToken, Secret: pushtest.DingTalkSecret, BaseURL: dt.URL})
	if err == nil || len(ds) != 2 || ds[0].Err == nil || ds[1].Err != nil {
		t.Fatalf("deliveries %+v, error %v; want WeCom refused and DingTalk delivered", ds, err)
	}
	if len(dt.Messages()) != 1 {
		t.Errorf("DingTalk took %d messages, want 1", len(dt.Messages()))
	}
}

// A robot that refuses for good is asked once, and says why in Chinese.
func TestRefusedForGoodIsNotRetried(t *testing.T) {
	hour := 2 * time.Hour
	cases := []struct {
		name  string
		robot func(wc *pushtest.WeCom, dt *pushtest.DingTalk) Robot
		code  int
		says  string
	}{
		{"WeCom, wrong key", func(wc *pushtest.WeCom, _ *pushtest.DingTalk) Robot {
			return &WeCom{Key: "0000-wrong-key", BaseURL: wc.URL}
		}, 93000, "企业微信机器人拒收：key 无效，请核对群机器人 Webhook 地址中的 key（errcode 93000）"},
		{"DingTalk, wrong access token", func(_ *pushtest.WeCom, dt *pushtest.DingTalk) Robot {
			return &DingTalk{AccessToken: "wrong-token", Secret: pushtest.DingTalkSecret, BaseURL: dt.URL}
		}, 400101, "钉钉机器人拒收：access_token 无效，请核对机器人 Webhook 地址中的 access_token（errcode 400101）"},
		{"DingTalk, wrong secret", func(_ *pushtest.WeCom, dt *pushtest.DingTalk) Robot {
			return &DingTalk{AccessToken: pushtest.DingTalkToken, Secret: "SECwrong", BaseURL: dt.URL}
		}, 310000, "钉钉机器人拒收：签名不匹配，请核对机器人安全设置“加签”的密钥（SEC 开头）（errcode 310000）"},
		{"DingTalk, clock two hours off", func(_ *pushtest.WeCom, dt *pushtest.DingTalk) Robot {
			return &DingTalk{AccessToken: pushtest.DingTalkToken, Secret: pushtest.DingTalkSecret, BaseURL: dt.URL,
				Now: func() time.Time { return time.Now().Add(-hour) }}
		}, 310000, "钉钉机器人拒收：时间戳无效：本机时钟与钉钉相差超过 1 小时（errcode 310000）"},
		{"DingTalk, keyword missing", func(_ *pushtest.WeCom, dt *pushtest.DingTalk) Robot {
			dt.Keywords = []string{"监控报警"}
			return &DingTalk{AccessToken: pushtest.DingTalkToken, Secret: pushtest.DingTalkSecret, BaseURL: dt.URL}
		}, 310000, "钉钉机器人拒收：消息不含机器人安全设置的自定义关键词（如“关注率”）（errcode 310000）"},
		{"DingTalk, address not whitelisted", func(_ *pushtest.WeCom, dt *pushtest.DingTalk) Robot {
			dt.AllowIPs = []string{"10.0.0.0/8"}
			return &DingTalk{AccessToken: pushtest.DingTalkToken, Secret: pushtest.DingTalkSecret, BaseURL: dt.URL}
		}, 310000, "钉钉机器人拒收：本机 IP 不在机器人安全设置的 IP 白名单内（errcode 310000）"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wc, dt := pushtest.NewWeCom(t), pushtest.NewDingTalk(t)
			r := c.robot(wc, dt)
			ds, err := Push(context.Background(), quick(5), quiet(), summaries["bozhou"], r)
			var e *Error
			if !errors.As(err, &e) || e.Code != c.code {
				t.Fatalf("error %v, want errcode %d", err, c.code)
			}
			if retry.Transient(err) {
				t.Error("taken as transient")
			}
			if ds[0].Attempts != 1 || wc.Requests()+dt.Requests() != 1 {
				t.Errorf("%d attempts, %d requests; want 1", ds[0].Attempts, wc.Requests()+dt.Requests())
			}
			if ds[0].Err.Error() != c.says {
				t.Errorf("says %q\nwant %q", ds[0].Err, c.says)
			}
		})
	}
}

// A robot past its rate is tried again, and takes the summary once its
// window has passed: WeCom's minute, DingTalk's ten-minute lock.
func TestRateLimitedIsRetriedUntilTheWindowFrees(t *testing.T) {
	start := time.Date(2024, 8, 1, 9, 0, 0, 0, time.Local)
	cases := []struct {
		name      string
		setup     func(t *testing.T, clock *pushtest.Clock) (Robot, func() int, func() int)
		advance   time.Duration // the clock's move at each retry
		delivered bool
		code      int
	}{
		{"WeCom, a minute later", func(t *testing.T, clock *pushtest.Clock) (Robot, func() int, func() int) {
			f := pushtest.NewWeCom(t)
			f.Now = clock.Now
			return &WeCom{Key: pushtest.WeComKey, BaseURL: f.URL}, f.Requests, func() int { return len(f.Messages()) }
		}, time.Minute, true, 45009},
		{"DingTalk, ten minutes later", func(t *testing.T, clock *pushtest.Clock) (Robot, func() int, func() int) {
			f := pushtest.NewDingTalk(t)
			f.Now = clock.Now
			return &DingTalk{AccessToken: pushtest.DingTalkToken, Secret: pushtest.DingTalkSecret, BaseURL: f.URL, Now: clock.Now},
				f.Requests, func() int { return len(f.Messages()) }
		}, 10 * time.Minute, true, 410100},
		{"DingTalk, still locked a minute later", func(t *testing.T, clock *pushtest.Clock) (Robot, func() int, func() int) {
			f := pushtest.NewDingTalk(t)
			f.Now = clock.Now
			return &DingTalk{AccessToken: pushtest.DingTalkToken, Secret: pushtest.DingTalkSecret, BaseURL: f.URL, Now: clock.Now},
				f.Requests, func() int { return len(f.Messages()) }
		}, time.Minute, false, 410100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := pushtest.NewClock(start)
			r, requests, messages := c.setup(t, clock)
			s := summaries["bozhou"]
			for i := range 20 { // the robot's twenty a minute, used up
				if err := r.Send(context.Background(), s); err != nil {
					t.Fatalf("message %d: %v", i+1, err)
				}
			}
			policy := quick(3)
			var retried []error
			policy.OnRetry = func(_ int, _ time.Duration, err error) {
				retried = append(retried, err)
				clock.Advance(c.advance)
			}
			ds, err := Push(context.Background(), policy, quiet(), s, r)
			if (err == nil) != c.delivered {
				t.Fatalf("error %v, want delivered %t", err, c.delivered)
			}
			var e *Error
			if len(retried) == 0 || !errors.As(retried[0], &e) || e.Code != c.code || !e.Transient() {
				t.Fatalf("retried after %v, want a transient errcode %d", retried, c.code)
			}
			want := 3
			if c.delivered {
				want = 2
			}
			if ds[0].Attempts != want || requests() != 20+want {
				t.Errorf("%d attempts, %d requests; want %d and %d", ds[0].Attempts, requests(), want, 20+want)
			}
			if got, want := messages(), 20; c.delivered && got != want+1 || !c.delivered && got != want {
				t.Errorf("%d messages taken", got)
			}
		})
	}
}

// A summary far over a robot's size limit is cut to fit, and taken.
func TestOversizedSummaryIsCutAndTaken(t *testing.T) {
	wc, dt := pushtest.NewWeCom(t), pushtest.NewDingTalk(t)
	s := long(2000)
	_, err := Push(context.Background(), quick(1), quiet(), s,
		&WeCom{Key: pushtest.WeComKey, BaseURL: wc.URL},
		&DingTalk{AccessToken: pushtest.DingTalkToken, Secret: pushtest.DingTalkSecret, BaseURL: dt.URL})
	if err != nil {
		t.Fatal(err)
	}
	w, d := wc.Messages()[0].Content, dt.Messages()[0].Text
	for name, text := range map[string]string{"WeCom": w, "DingTalk": d} {
		if !strings.Contains(text, s.Title()) || !strings.Contains(text, "[查看详情]("+s.Link+")") || !omitted.MatchString(text) {
			t.Errorf("%s: title, link or note lost:\n%s", name, text)
		}
	}
	if len(w) > WeComLimit || len(d) <= len(w) {
		t.Errorf("WeCom %d bytes (limit %d), DingTalk %d (should hold more)", len(w), WeComLimit, len(d))
	}
}

// An HTTP error from a proxy or gateway is tried again when it says the
// service is unavailable, and not when it says the request is wrong.
func TestHTTPStatus(t *testing.T) {
	for _, c := range []struct {
		status   int
		attempts int
	}{{http.StatusBadGateway, 3}, {http.StatusTooManyRequests, 3}, {http.StatusForbidden, 1}} {
		t.Run(fmt.Sprint(c.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "<html>gateway</html>", c.status)
			}))
			defer srv.Close()
			ds, err := Push(context.Background(), quick(3), quiet(), summaries["bozhou"], &WeCom{Key: pushtest.WeComKey, BaseURL: srv.URL})
			if err == nil || ds[0].Attempts != c.attempts {
				t.Errorf("%d attempts, error %v; want %d and an error", ds[0].Attempts, err, c.attempts)
			}
			if !strings.Contains(err.Error(), fmt.Sprintf("（HTTP %d）", c.status)) {
				t.Errorf("error %q does not say the status", err)
			}
		})
	}
}

// A cancelled context stops the retries: no further request is made, and
// the error says the push was stopped.
func TestCancelStopsRetries(t *testing.T) {
	for _, c := range []struct {
		name   string
		cancel func(cancel context.CancelFunc) retry.Policy
	}{
		{"cancelled before the wait", func(cancel context.CancelFunc) retry.Policy {
			return retry.Policy{Wait: time.Hour, Patience: 24 * time.Hour, OnRetry: func(int, time.Duration, error) { cancel() }}
		}},
		{"cancelled during the wait", func(cancel context.CancelFunc) retry.Policy {
			return retry.Policy{Wait: time.Hour, Patience: 24 * time.Hour, OnRetry: func(int, time.Duration, error) {
				time.AfterFunc(10*time.Millisecond, cancel)
			}}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			wc := pushtest.NewWeCom(t)
			wc.Busy = 1000
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			start := time.Now()
			ds, err := Push(ctx, c.cancel(cancel), quiet(), summaries["bozhou"], &WeCom{Key: pushtest.WeComKey, BaseURL: wc.URL})
			if time.Since(start) > 10*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			if !errors.Is(err, context.Canceled) || wc.Requests() != 1 || ds[0].Attempts != 1 {
				t.Errorf("error %v, %d requests; want cancelled after 1", err, wc.Requests())
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != -1 {
				t.Errorf("error %v lost the robot's last answer", err)
			}
		})
	}
}

// chain is err and every error it wraps.
func chain(err error) []error {
	if err == nil {
		return nil
	}
	out := []error{err}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		out = append(out, chain(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = append(out, chain(e)...)
		}
	}
	return out
}

// The key, access token and secret appear in no error, no error it wraps
// and no log line, whatever goes wrong: a refusal, a retry, a server that
// is gone (where net/http's *url.Error quotes the whole address).
func TestSecretsNeverShown(t *testing.T) {
	const (
		key    = "KEY-7f3a+b/c=d-never-shown"
		token  = "TOKEN-0c23+e/f=g-never-shown"
		secret = "SECsecret+h/i=j-never-shown"
	)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	cases := []struct {
		name  string
		robot func(t *testing.T) Robot
	}{
		{"WeCom, wrong key", func(t *testing.T) Robot { return &WeCom{Key: key, BaseURL: pushtest.NewWeCom(t).URL} }},
		{"WeCom, rate limited", func(t *testing.T) Robot {
			f := pushtest.NewWeCom(t)
			f.Key, f.PerMinute = key, 1
			(&WeCom{Key: key, BaseURL: f.URL}).Send(context.Background(), summaries["bozhou"])
			return &WeCom{Key: key, BaseURL: f.URL}
		}},
		{"WeCom, server gone", func(t *testing.T) Robot { return &WeCom{Key: key, BaseURL: gone.URL} }},
		{"WeCom, bad base URL", func(t *testing.T) Robot { return &WeCom{Key: key, BaseURL: "http://[::1"} }},
		{"DingTalk, wrong token", func(t *testing.T) Robot {
			return &DingTalk{AccessToken: token, Secret: secret, BaseURL: pushtest.NewDingTalk(t).URL}
		}},
		{"DingTalk, wrong secret", func(t *testing.T) Robot {
			f := pushtest.NewDingTalk(t)
			f.AccessToken = token
			return &DingTalk{AccessToken: token, Secret: secret, BaseURL: f.URL}
		}},
		{"DingTalk, server gone", func(t *testing.T) Robot {
			return &DingTalk{AccessToken: token, Secret: secret, BaseURL: gone.URL}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			r := c.robot(t)
			_, err := Push(context.Background(), quick(2), log, summaries["bozhou"], r)
			if err == nil {
				t.Fatal("no error")
			}
			log.Info("robot", "robot", r) // a careless log line
			var words []string
			for _, e := range chain(err) {
				words = append(words, e.Error())
			}
			words = append(words, logs.String(), fmt.Sprintf("%v %+v %#v %s", r, r, r, r))
			for _, w := range words {
				for _, s := range []string{key, token, secret} {
					for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
						if strings.Contains(w, form) {
							t.Errorf("%q shown in %q", form, w)
						}
					}
				}
			}
			t.Logf("error: %v\nlog:\n%s", err, logs.String())
		})
	}
}

// The address net/http quotes in its errors does hold the key: what
// TestSecretsNeverShown guards against is real.
func TestTransportErrorsQuoteTheAddress(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	_, err := http.Post(gone.URL+"/cgi-bin/webhook/send?key=KEY-in-the-address", "application/json", nil)
	if err == nil || !strings.Contains(err.Error(), "KEY-in-the-address") {
		t.Fatalf("net/http no longer quotes the address (%v): the redaction may be simplified", err)
	}
	if err := transport("企业微信机器人", err, "KEY-in-the-address"); !retry.Transient(err) || strings.Contains(err.Error(), "KEY") {
		t.Errorf("transport(%v): transient %t", err, retry.Transient(err))
	}
}

func TestErrorsWorded(t *testing.T) {
	cases := []struct {
		err       *Error
		says      string
		transient bool
	}{
		{weComError(-1, "system busy"), "企业微信机器人拒收：企业微信系统繁忙（errcode -1）", true},
		{weComError(45009, "api freq out of limit"), "企业微信机器人拒收：发送太频繁（每个机器人每分钟最多 20 条）（errcode 45009）", true},
		{weComError(93000, "invalid webhook url"), "企业微信机器人拒收：key 无效，请核对群机器人 Webhook 地址中的 key（errcode 93000）", false},
		{weComError(40058, "markdown.content exceed max length 4096. invalid Request Parameter"), "企业微信机器人拒收：消息超过 4096 字节（errcode 40058）", false},
		{dingTalkError(410100, "send too fast"), "钉钉机器人拒收：发送太快而被限流（每个机器人每分钟最多 20 条，超过后限流 10 分钟）（errcode 410100）", true},
		{dingTalkError(300001, "token is not exist"), "钉钉机器人拒收：access_token 无效，请核对机器人 Webhook 地址中的 access_token（errcode 300001）", false},
		{dingTalkError(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"), "钉钉机器人拒收：签名不匹配，请核对机器人安全设置“加签”的密钥（SEC 开头）（errcode 310000）", false},
		{dingTalkError(460101, "message too long"), "钉钉机器人拒收：消息超过 20000 字节（errcode 460101）", false},
		{dingTalkError(400102, "机器人已停用"), "钉钉机器人拒收：机器人已停用（errcode 400102）", false},
	}
	for _, c := range cases {
		if c.err.Error() != c.says || retry.Transient(c.err) != c.transient {
			t.Errorf("%q, transient %t\nwant %q, %t", c.err, retry.Transient(c.err), c.says, c.transient)
		}
	}
}
