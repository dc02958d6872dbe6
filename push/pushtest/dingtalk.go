package pushtest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The fake DingTalk robot's access token and signing secret.
const (
	DingTalkToken  = "b10deee3d9e2dbc21ce57eb9f80da23a-never-shown"
	DingTalkSecret = "SEC5a3ecf88f2b3eb50db30ecfc00f5303-never-shown"
)

// DingTalkMessage is a markdown message a fake DingTalk robot took.
type DingTalkMessage struct {
	Title, Text string
	At          time.Time
}

// DingTalk is a fake of a DingTalk custom robot's webhook (自定义机器人),
// as its documentation describes it:
//
//   - 自定义机器人发送群消息,
//     https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages:
//     POST /robot/send?access_token=TOKEN with a JSON body, a markdown
//     message {"msgtype":"markdown","markdown":{"title":"…","text":"…"}}
//     (消息类型, https://open.dingtalk.com/document/orgapp/message-type);
//     errcodes 400101 access_token不存在, 410100 发送速度太快而限流,
//     400105 不支持的消息类型, 310000 for the security settings, and
//     HTTP status 200 for every answer.
//   - 自定义机器人安全设置,
//     https://open.dingtalk.com/document/robots/customize-robot-security-settings:
//     加签 puts timestamp (milliseconds, 与请求调用时间误差不能超过1小时) and
//     sign = urlEncode(Base64(HmacSHA256(secret, timestamp+"\n"+secret)))
//     into the address; 自定义关键词 (up to 10) must appear in the
//     message; an IP whitelist admits only its addresses and ranges. Each
//     failure is errcode 310000, the errmsg saying which ("invalid
//     timestamp", "机器人发送签名不匹配", "keywords not in content",
//     "ip … not in whitelist", as the live API words them).
//   - 自定义机器人接入, https://open.dingtalk.com/document/robots/custom-robot-access:
//     每个机器人每分钟最多发送20条。如果超过20条，会限流10分钟: the 21st
//     message within a minute locks the robot for ten minutes, and every
//     request in them is refused with 410100.
//   - the request body may hold at most 20000 bytes: the live API refuses a
//     longer one ("body 大小不合法;solution:请保持大小在 20000bytes 以内",
//     reported for instance in github.com/ZhuLinsen/daily_stock_analysis
//     issue 61). The documentation pages above do not give the errcode;
//     the fake answers 460101 (message too long).
type DingTalk struct {
	AccessToken string
	// Secret is the 加签 secret; the robot checks no signature when empty.
	Secret string
	// Keywords are the robot's 自定义关键词; none when empty.
	Keywords []string
	// AllowIPs is the robot's IP whitelist (addresses or ranges such as
	// 10.0.0.0/8); any address when empty.
	AllowIPs []string
	// Now is the robot's clock; time.Now when nil.
	Now func() time.Time
	// PerMinute is how many messages the robot takes in a minute (20),
	// and Lock how long it refuses all after one too many (10 minutes).
	PerMinute int
	Lock      time.Duration
	// Busy is how many of the next requests are answered -1 (系统繁忙).
	Busy int
	// URL is the server's address, the BaseURL a client is given.
	URL string

	mu       sync.Mutex
	messages []DingTalkMessage
	requests int
	locked   time.Time // refusing every message until then
}

// NewDingTalk starts a fake DingTalk robot for a test (a testing.TB),
// with access token DingTalkToken and 加签 secret DingTalkSecret; it is
// closed with the test.
func NewDingTalk(t interface{ Cleanup(func()) }) *DingTalk {
	f := &DingTalk{AccessToken: DingTalkToken, Secret: DingTalkSecret, PerMinute: 20, Lock: 10 * time.Minute}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *DingTalk) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Messages are the messages the robot took, in order.
func (f *DingTalk) Messages() []DingTalkMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]DingTalkMessage(nil), f.messages...)
}

// Requests is how many requests the robot answered, taken or not.
func (f *DingTalk) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// signature is the documentation's signature, computed here on its own
// rather than by the client's code.
func signature(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, timestamp+"\n"+secret)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (f *DingTalk) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if r.URL.Path != "/robot/send" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	if f.AccessToken == "" || q.Get("access_token") != f.AccessToken {
		errcode(w, 400101, "description:access_token不存在;solution:请确认access_token拼写是否正确;")
		return
	}
	now := f.now()
	if f.Secret != "" {
		ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		if err != nil || now.Sub(time.UnixMilli(ts)).Abs() > time.Hour {
			errcode(w, 310000, "invalid timestamp, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
			return
		}
		// Query has undone the address's URL encoding once, as DingTalk does:
		// a sign sent without it (a raw "+") no longer matches.
		if !hmac.Equal([]byte(q.Get("sign")), []byte(signature(f.Secret, q.Get("timestamp")))) {
			errcode(w, 310000, "description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的网址中，请确认机器人的密钥加密和填写正确;")
			return
		}
	}
	if len(f.AllowIPs) > 0 && !allowed(r.RemoteAddr, f.AllowIPs) {
		host, _, _ := net.SplitHostPort(r.RemoteAddr)
		errcode(w, 310000, fmt.Sprintf("ip %s not in whitelist", host))
		return
	}
	if f.Busy > 0 {
		f.Busy--
		errcode(w, -1, "系统繁忙")
		return
	}
	if now.Before(f.locked) {
		errcode(w, 410100, "send too fast, exceed 20 times per minute")
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	if len(data) > 20000 {
		errcode(w, 460101, "description:body 大小不合法;solution:请保持大小在 20000bytes 以内;")
		return
	}
	var msg struct {
		Type     string `json:"msgtype"`
		Markdown *struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		} `json:"markdown"`
	}
	if err := json.Unmarshal(data, &msg); err != nil {
		errcode(w, 40035, "缺少参数 json")
		return
	}
	if msg.Type != "markdown" || msg.Markdown == nil {
		errcode(w, 400105, "description:不支持的消息类型;solution:请使用文档中支持的消息类型;")
		return
	}
	if len(f.Keywords) > 0 && !containsAny(msg.Markdown.Title+"\n"+msg.Markdown.Text, f.Keywords) {
		errcode(w, 310000, "keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
		return
	}
	perMinute, lock := f.PerMinute, f.Lock
	if perMinute == 0 {
		perMinute = 20
	}
	if lock == 0 {
		lock = 10 * time.Minute
	}
	recent := 0
	for _, m := range f.messages {
		if now.Sub(m.At) < time.Minute {
			recent++
		}
	}
	if recent >= perMinute {
		f.locked = now.Add(lock)
		errcode(w, 410100, "send too fast, exceed 20 times per minute")
		return
	}
	f.messages = append(f.messages, DingTalkMessage{Title: msg.Markdown.Title, Text: msg.Markdown.Text, At: now})
	errcode(w, 0, "ok")
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// allowed says the request's address is in the whitelist.
func allowed(remote string, list []string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil && p.Contains(addr) {
			return true
		}
		if a, err := netip.ParseAddr(s); err == nil && a == addr {
			return true
		}
	}
	return false
}
