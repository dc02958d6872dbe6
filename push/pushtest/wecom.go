// Package pushtest holds fakes of the group robots followrank pushes to:
// WeCom's (企业微信) and DingTalk's (钉钉). Each follows its robot's
// documentation, unkind parts included (a wrong key, the size limit, the
// rate limit, DingTalk's signature and its timestamp window), so that the
// clients are tested against what they will meet, not against themselves.
// The fakes record what they received, so a test can say a summary was
// delivered exactly once and what it said.
package pushtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// WeComKey is the key of the fake WeCom robot's webhook address.
const WeComKey = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa-never-shown"

// Clock is a clock a test moves by hand; safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock is a clock that reads t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// WeComMessage is a markdown message a fake WeCom robot took.
type WeComMessage struct {
	Content string
	At      time.Time
}

// WeCom is a fake of a WeCom group robot's webhook, as 群机器人配置说明
// (https://developer.work.weixin.qq.com/document/path/91770) describes it:
//
//   - POST /cgi-bin/webhook/send?key=KEY with a JSON body; a markdown
//     message is {"msgtype":"markdown","markdown":{"content":"…"}}, whose
//     content is at most 4096 bytes of UTF-8 (最长不超过4096个字节，必须是
//     utf8编码); a longer one is refused with errcode 40058, as the live API
//     answers it ("markdown.content exceed max length 4096. invalid Request
//     Parameter").
//   - 消息发送频率限制：每个机器人发送的消息不能超过20条/分钟. A 21st message
//     within a minute is refused with errcode 45009 (api freq out of
//     limit, 全局错误码 https://developer.work.weixin.qq.com/document/path/90313).
//     The fake counts the messages it took over the minute before each
//     request, by its clock.
//   - a key that is not the robot's is refused with errcode 93000 (invalid
//     webhook url), HTTP status 200 as for every answer.
//   - errcode -1 is 系统繁忙, to be tried again (Busy injects it).
type WeCom struct {
	// Key is the key the robot accepts.
	Key string
	// Now is the robot's clock; time.Now when nil.
	Now func() time.Time
	// PerMinute is how many messages the robot takes in a minute (20).
	PerMinute int
	// Busy is how many of the next requests are answered -1 (系统繁忙).
	Busy int
	// URL is the server's address, the BaseURL a client is given.
	URL string

	mu       sync.Mutex
	messages []WeComMessage
	requests int
}

// NewWeCom starts a fake WeCom robot with key WeComKey for a test (a
// testing.TB); it is closed with the test.
func NewWeCom(t interface{ Cleanup(func()) }) *WeCom {
	f := &WeCom{Key: WeComKey, PerMinute: 20}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *WeCom) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// Messages are the messages the robot took, in order.
func (f *WeCom) Messages() []WeComMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]WeComMessage(nil), f.messages...)
}

// Requests is how many requests the robot answered, taken or not.
func (f *WeCom) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func errcode(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(map[string]any{"errcode": code, "errmsg": msg})
}

// hint is the tail WeCom adds to its errmsgs.
const hint = ", hint: [1714538355214402498975046], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e="

func (f *WeCom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	if r.URL.Path != "/cgi-bin/webhook/send" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		errcode(w, 43002, "require POST method"+hint+"43002")
		return
	}
	if r.URL.Query().Get("key") != f.Key {
		errcode(w, 93000, "invalid webhook url"+hint+"93000")
		return
	}
	if f.Busy > 0 {
		f.Busy--
		errcode(w, -1, "system busy"+hint+"-1")
		return
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	var msg struct {
		Type     string `json:"msgtype"`
		Markdown *struct {
			Content string `json:"content"`
		} `json:"markdown"`
	}
	if err := json.Unmarshal(data, &msg); err != nil {
		errcode(w, 40035, "invalid Request Parameter, Warning: wrong json format."+hint+"40035")
		return
	}
	if msg.Type != "markdown" || msg.Markdown == nil {
		errcode(w, 40008, "invalid message type"+hint+"40008")
		return
	}
	content := msg.Markdown.Content
	if len(content) > 4096 {
		errcode(w, 40058, "markdown.content exceed max length 4096. invalid Request Parameter"+hint+"40058")
		return
	}
	now := f.now()
	perMinute := f.PerMinute
	if perMinute == 0 {
		perMinute = 20
	}
	recent := 0
	for _, m := range f.messages {
		if now.Sub(m.At) < time.Minute {
			recent++
		}
	}
	if recent >= perMinute {
		errcode(w, 45009, "api freq out of limit"+hint+"45009")
		return
	}
	f.messages = append(f.messages, WeComMessage{Content: content, At: now})
	errcode(w, 0, "ok")
}
