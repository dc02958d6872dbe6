package pushtest_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"followrank/push/pushtest"
)

// These tests hold the fakes to the documentation with requests written
// by hand, not by the clients the fakes are there to test.

type answer struct {
	Code int    `json:"errcode"`
	Msg  string `json:"errmsg"`
}

func send(t *testing.T, method, address string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(method, address, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d; the robots answer 200 and an errcode", resp.StatusCode)
	}
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a
}

func jsonBody(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func weComMarkdown(t *testing.T, content string) []byte {
	return jsonBody(t, map[string]any{"msgtype": "markdown", "markdown": map[string]string{"content": content}})
}

func TestWeComFollowsItsDocumentation(t *testing.T) {
	key := "?key=" + url.QueryEscape(pushtest.WeComKey)
	cases := []struct {
		name   string
		method string
		query  string
		body   func(t *testing.T) []byte
		code   int
	}{
		{"a markdown message", "POST", key, func(t *testing.T) []byte { return weComMarkdown(t, "**通报**\n[查看详情](https://example.cn)") }, 0},
		{"4096 bytes", "POST", key, func(t *testing.T) []byte { return weComMarkdown(t, strings.Repeat("a", 4096)) }, 0},
		{"4097 bytes", "POST", key, func(t *testing.T) []byte { return weComMarkdown(t, strings.Repeat("a", 4097)) }, 40058},
		// 1366 characters, but 4098 bytes of UTF-8: the limit is in bytes.
		{"1366 Chinese characters", "POST", key, func(t *testing.T) []byte { return weComMarkdown(t, strings.Repeat("关", 1366)) }, 40058},
		{"wrong key", "POST", "?key=wrong", func(t *testing.T) []byte { return weComMarkdown(t, "通报") }, 93000},
		{"no key", "POST", "", func(t *testing.T) []byte { return weComMarkdown(t, "通报") }, 93000},
		{"GET", "GET", key, func(t *testing.T) []byte { return nil }, 43002},
		{"not markdown", "POST", key, func(t *testing.T) []byte {
			return jsonBody(t, map[string]any{"msgtype": "voice", "voice": map[string]string{"media_id": "x"}})
		}, 40008},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := pushtest.NewWeCom(t)
			a := send(t, c.method, f.URL+"/cgi-bin/webhook/send"+c.query, c.body(t))
			if a.Code != c.code {
				t.Errorf("errcode %d (%s), want %d", a.Code, a.Msg, c.code)
			}
			if got, want := len(f.Messages()), map[bool]int{true: 1, false: 0}[c.code == 0]; got != want {
				t.Errorf("%d messages recorded, want %d", got, want)
			}
		})
	}
}

func TestWeComTakesTwentyAMinute(t *testing.T) {
	f := pushtest.NewWeCom(t)
	clock := pushtest.NewClock(time.Date(2024, 8, 1, 9, 0, 0, 0, time.UTC))
	f.Now = clock.Now
	address := f.URL + "/cgi-bin/webhook/send?key=" + url.QueryEscape(pushtest.WeComKey)
	for i := range 20 {
		if a := send(t, "POST", address, weComMarkdown(t, "通报")); a.Code != 0 {
			t.Fatalf("message %d: errcode %d", i+1, a.Code)
		}
		clock.Advance(time.Second)
	}
	if a := send(t, "POST", address, weComMarkdown(t, "通报")); a.Code != 45009 {
		t.Errorf("21st message within a minute: errcode %d, want 45009", a.Code)
	}
	clock.Advance(41 * time.Second) // a minute after the first
	if a := send(t, "POST", address, weComMarkdown(t, "通报")); a.Code != 0 {
		t.Errorf("a minute after the first: errcode %d, want 0", a.Code)
	}
	if got := len(f.Messages()); got != 21 || f.Requests() != 22 {
		t.Errorf("%d messages of %d requests, want 21 of 22", got, f.Requests())
	}
}

// docSign is the documentation's signature: HmacSHA256 of
// timestamp+"\n"+secret with the secret as key, in Base64.
func docSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func dingTalkMarkdown(t *testing.T, title, text string) []byte {
	return jsonBody(t, map[string]any{"msgtype": "markdown", "markdown": map[string]string{"title": title, "text": text}})
}

// signed is the address of a request signed at at, the sign URL-encoded
// as the documentation says.
func signed(f *pushtest.DingTalk, token, secret string, at time.Time) string {
	ts := strconv.FormatInt(at.UnixMilli(), 10)
	return f.URL + "/robot/send?access_token=" + url.QueryEscape(token) + "&timestamp=" + ts + "&sign=" + url.QueryEscape(docSign(secret, ts))
}

func TestDingTalkFollowsItsDocumentation(t *testing.T) {
	now := time.Date(2024, 8, 1, 9, 0, 0, 0, time.UTC)
	// A time whose sign has a "+", which a sign not URL-encoded loses.
	plus := now
	for !strings.Contains(docSign(pushtest.DingTalkSecret, strconv.FormatInt(plus.UnixMilli(), 10)), "+") {
		plus = plus.Add(time.Millisecond)
	}
	ok := func(t *testing.T) []byte {
		return dingTalkMarkdown(t, "亳州市关注率通报", "**亳州市关注率通报**")
	}
	cases := []struct {
		name     string
		setup    func(f *pushtest.DingTalk)
		address  func(f *pushtest.DingTalk) string
		body     func(t *testing.T) []byte
		code     int
		errmsgIs string
	}{
		{"signed markdown", nil, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now)
		}, ok, 0, "ok"},
		{"wrong access token", nil, func(f *pushtest.DingTalk) string {
			return signed(f, "wrong", pushtest.DingTalkSecret, now)
		}, ok, 400101, ""},
		{"wrong secret", nil, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, "SECwrong", now)
		}, ok, 310000, "签名不匹配"},
		{"sign not URL-encoded", nil, func(f *pushtest.DingTalk) string {
			ts := strconv.FormatInt(plus.UnixMilli(), 10)
			return f.URL + "/robot/send?access_token=" + pushtest.DingTalkToken + "&timestamp=" + ts + "&sign=" + docSign(pushtest.DingTalkSecret, ts)
		}, ok, 310000, "签名不匹配"},
		{"unsigned", nil, func(f *pushtest.DingTalk) string {
			return f.URL + "/robot/send?access_token=" + pushtest.DingTalkToken
		}, ok, 310000, "invalid timestamp"},
		{"signed 59 minutes ago", nil, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now.Add(-59*time.Minute))
		}, ok, 0, "ok"},
		{"signed 61 minutes ago", nil, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now.Add(-61*time.Minute))
		}, ok, 310000, "invalid timestamp"},
		{"signed 61 minutes ahead", nil, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now.Add(61*time.Minute))
		}, ok, 310000, "invalid timestamp"},
		{"keyword in the text", func(f *pushtest.DingTalk) { f.Keywords = []string{"关注率"} }, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now)
		}, ok, 0, "ok"},
		{"keyword missing", func(f *pushtest.DingTalk) { f.Keywords = []string{"监控报警"} }, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now)
		}, ok, 310000, "keywords not in content"},
		{"whitelisted address", func(f *pushtest.DingTalk) { f.AllowIPs = []string{"127.0.0.0/8"} }, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now)
		}, ok, 0, "ok"},
		{"address not whitelisted", func(f *pushtest.DingTalk) { f.AllowIPs = []string{"10.0.0.0/8", "192.0.2.1"} }, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now)
		}, ok, 310000, "not in whitelist"},
		{"body of 20000 bytes", nil, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now)
		}, func(t *testing.T) []byte { return sized(t, 20000) }, 0, "ok"},
		{"body of 20001 bytes", nil, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now)
		}, func(t *testing.T) []byte { return sized(t, 20001) }, 460101, "20000bytes"},
		{"not a message type", nil, func(f *pushtest.DingTalk) string {
			return signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, now)
		}, func(t *testing.T) []byte { return jsonBody(t, map[string]any{"msgtype": "voice"}) }, 400105, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := pushtest.NewDingTalk(t)
			f.Now = func() time.Time { return now }
			if c.setup != nil {
				c.setup(f)
			}
			a := send(t, "POST", c.address(f), c.body(t))
			if a.Code != c.code || !strings.Contains(a.Msg, c.errmsgIs) {
				t.Errorf("errcode %d (%s), want %d (%s)", a.Code, a.Msg, c.code, c.errmsgIs)
			}
			if got, want := len(f.Messages()), map[bool]int{true: 1, false: 0}[c.code == 0]; got != want {
				t.Errorf("%d messages recorded, want %d", got, want)
			}
		})
	}
}

// sized is a markdown message's body of exactly n bytes.
func sized(t *testing.T, n int) []byte {
	b := dingTalkMarkdown(t, "通报", "")
	b = dingTalkMarkdown(t, "通报", strings.Repeat("a", n-len(b)))
	if len(b) != n {
		t.Fatalf("body of %d bytes, want %d", len(b), n)
	}
	return b
}

// 每个机器人每分钟最多发送20条。如果超过20条，会限流10分钟.
func TestDingTalkLocksTenMinutesAfterTwentyAMinute(t *testing.T) {
	f := pushtest.NewDingTalk(t)
	clock := pushtest.NewClock(time.Date(2024, 8, 1, 9, 0, 0, 0, time.UTC))
	f.Now = clock.Now
	post := func() int {
		return send(t, "POST", signed(f, pushtest.DingTalkToken, pushtest.DingTalkSecret, clock.Now()), dingTalkMarkdown(t, "通报", "通报")).Code
	}
	for i := range 20 {
		if code := post(); code != 0 {
			t.Fatalf("message %d: errcode %d", i+1, code)
		}
	}
	steps := []struct {
		after time.Duration
		code  int
	}{
		{0, 410100},                              // the 21st within the minute locks the robot
		{time.Minute, 410100},                    // the minute has passed, the lock has not
		{8*time.Minute + 59*time.Second, 410100}, // a second short of ten minutes
		{time.Second, 0},                         // ten minutes after the 21st
	}
	for _, s := range steps {
		clock.Advance(s.after)
		if code := post(); code != s.code {
			t.Errorf("%v after the 21st: errcode %d, want %d", clock.Now().Sub(time.Date(2024, 8, 1, 9, 0, 0, 0, time.UTC)), code, s.code)
		}
	}
	if got := len(f.Messages()); got != 21 {
		t.Errorf("%d messages taken, want 21", got)
	}
}
