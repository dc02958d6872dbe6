package push

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DingTalkBase is the address of DingTalk's robot API.
const DingTalkBase = "https://oapi.dingtalk.com"

// DingTalkLimit is the most a DingTalk robot's request body may hold, in
// bytes (body 大小不合法：请保持大小在 20000bytes 以内).
const DingTalkLimit = 20000

// DingTalk is a DingTalk (钉钉) custom group robot (自定义机器人), sent to
// through its webhook (POST /robot/send?access_token=…) as a markdown
// message, signed when the robot's security setting is 加签.
type DingTalk struct {
	// AccessToken is the access_token of the robot's webhook address, and
	// Secret its signing secret (加签, SEC…); empty when the robot is kept
	// safe by keywords or an IP whitelist instead. Neither is ever logged
	// or put into an error.
	AccessToken, Secret string
	BaseURL             string       // for an intranet proxy; default DingTalkBase
	Client              *http.Client // default a client with a 30 s timeout
	Now                 func() time.Time
}

// Name is how logs and errors name the robot.
func (*DingTalk) Name() string { return "钉钉机器人" }

// String names the robot without its token, for %v.
func (d DingTalk) String() string { return d.Name() }

// GoString names the robot without its token and secret, for %#v.
func (d DingTalk) GoString() string {
	return fmt.Sprintf("push.DingTalk{BaseURL: %q, Signed: %t}", d.BaseURL, d.Secret != "")
}

// LogValue is the robot as a log shows it: without its token and secret.
func (d DingTalk) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", d.Name()), slog.String("base_url", base(d.BaseURL, DingTalkBase)),
		slog.Bool("signed", d.Secret != ""))
}

// sign is the signature of a request made at timestamp (milliseconds),
// as the documentation computes it: HmacSHA256 of timestamp+"\n"+secret
// keyed with secret, in Base64. It goes into the address URL-encoded.
func sign(secret string, timestamp int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// dingTalkBody is s as the body DingTalk is sent: its lines joined by a
// markdown hard break (the documentation's markdown syntax advises spaces
// around a line's \n), cut so that the whole body stays within
// DingTalkLimit.
func dingTalkBody(s Summary) []byte {
	title := s.Title()
	body := func(text string) []byte {
		return encode(map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]string{"title": title, "text": text},
		})
	}
	return body(fit(s, "  \n", func(text string) bool { return len(body(text)) <= DingTalkLimit }))
}

// Send sends s as one markdown message, titled with s.Title (what the
// conversation list shows), signed with the time of sending.
func (d *DingTalk) Send(ctx context.Context, s Summary) error {
	if strings.TrimSpace(d.AccessToken) == "" {
		return fmt.Errorf("%s：未设置 access_token", d.Name())
	}
	q := url.Values{"access_token": {d.AccessToken}}
	if d.Secret != "" {
		now := time.Now
		if d.Now != nil {
			now = d.Now
		}
		ts := now().UnixMilli()
		q.Set("timestamp", strconv.FormatInt(ts, 10))
		q.Set("sign", sign(d.Secret, ts))
	}
	address := base(d.BaseURL, DingTalkBase) + "/robot/send?" + q.Encode()
	a, err := post(ctx, client(d.Client), d.Name(), address, dingTalkBody(s), d.AccessToken, d.Secret)
	if err != nil || *a.Code == 0 {
		return err
	}
	return dingTalkError(*a.Code, a.Msg)
}

// dingTalkError words an errcode of the custom robot's webhook.
func dingTalkError(code int, msg string) *Error {
	e := &Error{Robot: "钉钉机器人", Code: code}
	lower := strings.ToLower(msg)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(lower, w) {
				return true
			}
		}
		return false
	}
	switch code {
	case -1:
		e.Reason, e.Again = "钉钉系统繁忙", true
	case 410100, 130101:
		e.Reason, e.Again = "发送太快而被限流（每个机器人每分钟最多 20 条，超过后限流 10 分钟）", true
	case 300001, 300005, 400101:
		e.Reason = "access_token 无效，请核对机器人 Webhook 地址中的 access_token"
	case 310000: // one code for every security setting; the errmsg says which
		switch {
		case has("sign not match", "签名不匹配"): // its Chinese words mention 时间戳 too
			e.Reason = "签名不匹配，请核对机器人安全设置“加签”的密钥（SEC 开头）"
		case has("timestamp", "时间戳"):
			e.Reason = "时间戳无效：本机时钟与钉钉相差超过 1 小时"
		case has("keyword", "关键词"):
			e.Reason = "消息不含机器人安全设置的自定义关键词（如“关注率”）"
		case has("whitelist", "白名单"):
			e.Reason = "本机 IP 不在机器人安全设置的 IP 白名单内"
		default:
			e.Reason = "未通过机器人的安全设置：" + shorten(msg)
		}
	case 400013:
		e.Reason = "群已解散"
	case 400102:
		e.Reason = "机器人已停用"
	case 400106:
		e.Reason = "机器人不存在，请确认机器人仍在群中"
	case 400105:
		e.Reason = "不支持的消息类型"
	case 460101:
		e.Reason = fmt.Sprintf("消息超过 %d 字节", DingTalkLimit)
	case 430101, 430102, 430103, 430104:
		e.Reason = "内容未通过钉钉的审核（外链或内容不合适）"
	default:
		e.Reason = shorten(msg)
	}
	return e
}
