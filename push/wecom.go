package push

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// WeComBase is the address of WeCom's API.
const WeComBase = "https://qyapi.weixin.qq.com"

// WeComLimit is the most a WeCom markdown message's content may hold, in
// bytes of UTF-8 (markdown内容，最长不超过4096个字节，必须是utf8编码).
const WeComLimit = 4096

// WeCom is a WeCom (企业微信) group robot, sent to through its webhook
// (POST /cgi-bin/webhook/send?key=KEY) as a markdown message.
type WeCom struct {
	// Key is the key of the robot's webhook address; whoever has it can
	// post to the group, so it is never logged or put into an error.
	Key     string
	BaseURL string       // for an intranet proxy; default WeComBase
	Client  *http.Client // default a client with a 30 s timeout
}

// Name is how logs and errors name the robot.
func (*WeCom) Name() string { return "企业微信机器人" }

// String names the robot without its key, for %v.
func (w WeCom) String() string { return w.Name() }

// GoString names the robot without its key, for %#v.
func (w WeCom) GoString() string { return fmt.Sprintf("push.WeCom{BaseURL: %q}", w.BaseURL) }

// LogValue is the robot as a log shows it: without its key.
func (w WeCom) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", w.Name()), slog.String("base_url", base(w.BaseURL, WeComBase)))
}

// Send sends s as one markdown message, cut to WeComLimit.
func (w *WeCom) Send(ctx context.Context, s Summary) error {
	if strings.TrimSpace(w.Key) == "" {
		return fmt.Errorf("%s：未设置 key", w.Name())
	}
	body := encode(map[string]any{
		"msgtype":  "markdown",
		"markdown": map[string]string{"content": Markdown(s, WeComLimit)},
	})
	address := base(w.BaseURL, WeComBase) + "/cgi-bin/webhook/send?key=" + url.QueryEscape(w.Key)
	a, err := post(ctx, client(w.Client), w.Name(), address, body, w.Key)
	if err != nil || *a.Code == 0 {
		return err
	}
	return weComError(*a.Code, a.Msg)
}

// weComError words an errcode of the webhook (全局错误码).
func weComError(code int, msg string) *Error {
	e := &Error{Robot: "企业微信机器人", Code: code}
	switch code {
	case -1:
		e.Reason, e.Again = "企业微信系统繁忙", true
	case 45009:
		e.Reason, e.Again = "发送太频繁（每个机器人每分钟最多 20 条）", true
	case 93000:
		e.Reason = "key 无效，请核对群机器人 Webhook 地址中的 key"
	case 40058: // invalid Request Parameter, of which a long message is one
		e.Reason = "请求参数不合法：" + shorten(msg)
		if strings.Contains(msg, "exceed max length") {
			e.Reason = fmt.Sprintf("消息超过 %d 字节", WeComLimit)
		}
	case 40008:
		e.Reason = "消息类型不合法"
	default:
		e.Reason = shorten(msg)
	}
	return e
}
