// Package push sends a scope's ranking, summed up in a few lines (top
// three, bottom three, the biggest climber, how many units did not report,
// a link to the page), to the group robots of WeCom (企业微信) and DingTalk
// (钉钉) as a markdown message.
//
// Each robot is a small client of the robot's webhook as its documentation
// describes it (the fakes in pushtest cite the pages): a message too long
// for the robot is cut to fit rather than refused, a robot's refusal is an
// *Error that says whether trying again may help, and the key, access
// token and signing secret never reach an error or a log line. Push tries
// each robot through the repository's one retry policy (package retry).
package push

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"followrank/retry"
)

// Robot is a group robot a summary is pushed to.
type Robot interface {
	// Send delivers s once: one request, no retry.
	Send(ctx context.Context, s Summary) error
	// Name names the robot in logs and errors: 企业微信机器人.
	Name() string
}

// Error is a robot's refusal of a message: the errcode it answered, or the
// HTTP status when it did not answer in JSON, worded for the person who
// set the robot up.
type Error struct {
	Robot  string // 企业微信机器人, 钉钉机器人
	Code   int    // errcode; 0 when the robot answered with an HTTP error
	Status int    // the HTTP status, when not 200
	// Reason says what went wrong and what to do, in Chinese.
	Reason string
	// Again says trying again may succeed: the robot was busy or is
	// limiting how fast it is sent to.
	Again bool
}

// Error is one line: 企业微信机器人拒收：key 无效……（errcode 93000）.
func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s拒收：%s（HTTP %d）", e.Robot, e.Reason, e.Status)
	}
	return fmt.Sprintf("%s拒收：%s（errcode %d）", e.Robot, e.Reason, e.Code)
}

// Transient says whether trying again may succeed (see retry.Transient):
// yes for a busy or rate-limited robot, no for a wrong key, a wrong
// secret or a message the robot will never take.
func (e *Error) Transient() bool { return e.Again }

// statusError is the refusal of a robot that answered an HTTP error
// instead of its JSON: a proxy's or a gateway's, most likely.
func statusError(robot string, status int) *Error {
	e := &Error{Robot: robot, Status: status, Reason: "应答不是机器人的消息"}
	if status == 429 || status >= 500 {
		e.Again = true
		e.Reason = "服务暂不可用"
	}
	return e
}

// sendError is a failure to reach a robot at all. Its words are written
// without the request's address, which carries the key (net/http's
// *url.Error prints it whole); it unwraps to the cause, so that
// retry.Transient still sees a refused or cut connection.
type sendError struct {
	msg string
	err error
}

func (e *sendError) Error() string { return e.msg }
func (e *sendError) Unwrap() error { return e.err }

// transport wraps a failed request's error: the *url.Error's address is
// dropped, and any secret left in the words is masked.
func transport(robot string, err error, secrets ...string) error {
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err // ue prints "Post \"https://…?key=…\": cause"
	}
	return &sendError{msg: redact(fmt.Sprintf("%s：发送失败：%v", robot, cause), secrets...), err: cause}
}

// redact masks each secret in s, as written and as a URL writes it.
func redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
			s = strings.ReplaceAll(s, form, "***")
		}
	}
	return s
}

// RetryPolicy is the policy to give Push outside tests: tries for up to a
// quarter of an hour, 30 s apart and doubling up to 5 minutes (at 0 s,
// 30 s, 1.5, 3.5, 7.5 and 12.5 minutes), so that a WeCom robot's minute
// (20条/分钟) passes within the first waits and a DingTalk robot that has
// locked itself for ten minutes (限流10分钟) is still reached.
func RetryPolicy() retry.Policy {
	return retry.Policy{Wait: 30 * time.Second, MaxWait: 5 * time.Minute, Patience: 15 * time.Minute}
}

// Delivery is how a push went for one robot, for the run's record.
type Delivery struct {
	Robot    string
	Attempts int   // requests made
	Err      error // nil when the robot took the message
}

// Push sends s to each robot, trying a robot again under policy while its
// failures are transient (see retry.Transient); a robot that refuses for
// good is not tried again. Robots are tried one after another and
// independently: one failing does not keep the summary from the others.
// Each delivery and each failure that will be tried again is logged; the
// failures that end a robot's tries are returned, joined, and not logged.
//
// Push blocks until every robot is done with; a caller that must not wait
// (an ingestion run) calls it in a goroutine of its own, with a context
// that bounds it.
func Push(ctx context.Context, policy retry.Policy, log *slog.Logger, s Summary, robots ...Robot) ([]Delivery, error) {
	if log == nil {
		log = slog.Default()
	}
	var (
		out  []Delivery
		errs []error
	)
	for _, r := range robots {
		d := Delivery{Robot: r.Name()}
		p := policy
		p.OnRetry = func(attempt int, wait time.Duration, err error) {
			log.Warn("推送失败，稍后重试", "robot", r.Name(), "scope", s.Scope, "attempt", attempt, "wait", wait, "err", err)
			if policy.OnRetry != nil {
				policy.OnRetry(attempt, wait, err)
			}
		}
		d.Err = p.Do(ctx, func(ctx context.Context) error {
			d.Attempts++
			return r.Send(ctx, s)
		})
		if d.Err != nil && ctx.Err() != nil && !errors.Is(d.Err, ctx.Err()) {
			d.Err = fmt.Errorf("%w（已停止重试：%w）", d.Err, ctx.Err())
		}
		if d.Err != nil {
			errs = append(errs, d.Err)
		} else {
			log.Info("已推送", "robot", r.Name(), "scope", s.Scope, "date", s.Date.Format(time.DateOnly), "attempts", d.Attempts)
		}
		out = append(out, d)
	}
	return out, errors.Join(errs...)
}

// answer is a robot's reply: errcode 0 and errmsg "ok" when it took the
// message.
type answer struct {
	Code *int   `json:"errcode"`
	Msg  string `json:"errmsg"`
}

// post sends body to a robot's address and reads its answer. Every error
// it returns is free of the address and of secrets.
func post(ctx context.Context, c *http.Client, robot, address string, body []byte, secrets ...string) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, address, bytes.NewReader(body))
	if err != nil {
		// The parse error would quote the address, key and all.
		return answer{}, fmt.Errorf("%s：地址不合法，请检查 base_url", robot)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := c.Do(req)
	if err != nil {
		return answer{}, transport(robot, err, secrets...)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return answer{}, transport(robot, err, secrets...)
	}
	if resp.StatusCode != http.StatusOK {
		return answer{}, statusError(robot, resp.StatusCode)
	}
	var a answer
	if err := json.Unmarshal(data, &a); err != nil || a.Code == nil {
		return answer{}, &Error{Robot: robot, Status: resp.StatusCode, Reason: "应答不是机器人的消息"}
	}
	a.Msg = redact(a.Msg, secrets...)
	return a, nil
}

// encode is v as JSON the way it is sent: "<", ">" and "&" (in links) as
// they are, not as \u003c, so that what is measured is what is sent.
func encode(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // strings and maps of strings always encode
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// shorten is the start of an errmsg, for a code push does not know.
func shorten(msg string) string {
	if r := []rune(msg); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return msg
}

func client(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: 30 * time.Second}
}

func base(u, def string) string {
	if u != "" {
		return strings.TrimRight(u, "/")
	}
	return def
}
