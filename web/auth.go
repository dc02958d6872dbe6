package web

// Signing in. People sign in at /login as one of server.users and carry a
// signed session cookie; scripts keep sending the read token. The forms
// carry a CSRF token, wrong passwords are limited by name and by address,
// and a user with a scope reads only the rankings of her unit's lineage.

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"followrank/units"
)

const (
	sessionCookie = "followrank_session"
	// csrfCookie binds the login form's CSRF token to the browser before
	// there is a session to bind it to.
	csrfCookie  = "followrank_csrf"
	sessionLife = 12 * time.Hour

	passwordCost = 12
	minPassword  = 8  // characters
	maxPassword  = 72 // bytes: bcrypt reads no further

	// maxFailures wrong passwords for one name, or from one address,
	// within failureWindow refuse further attempts until the window ends.
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	// maxTracked bounds the names and addresses remembered; past it the
	// oldest are forgotten.
	maxTracked = 10_000

	maxForm = 16 << 10
)

// What people read when signing in goes wrong.
const (
	sayWrongPassword = "用户名或密码不正确。"
	sayNoUsers       = "本系统尚未设置登录账号，请联系管理员。"
	sayStaleForm     = "页面已过期或请求未通过安全校验，请重新输入用户名和密码。"
	sayTooMany       = "登录失败次数过多，请 %d 分钟后再试。"
	sayBadForm       = "登录表单无法读取，请刷新页面后重试。"
	sayNeedSignIn    = "需要登录：请在浏览器中登录，或提供读取令牌。"
	sayOutOfScope    = "您的账号只能查看%s及其上级单位、下属单位的排名，无权查看%s。"
)

// dummyHash is compared with the password given for a name no user has,
// so that an unknown name takes as long to refuse as a wrong password. It
// has passwordCost, and is the hash of a random text nobody kept.
var dummyHash = []byte("$2a$12$NZICqhIrRJ2dLOtMMV9/c.V/tIsEKsZTnmoIIdnQzYNLHT/YiTraa")

// HashPassword returns the bcrypt hash of pw to put in
// server.users[].password_hash.
func HashPassword(pw string) (string, error) {
	if utf8.RuneCountInString(pw) < minPassword {
		return "", fmt.Errorf("密码太短：至少需要 %d 个字符", minPassword)
	}
	if len(pw) > maxPassword {
		return "", fmt.Errorf("密码太长：不能超过 %d 字节（约 24 个汉字或 72 个字母）", maxPassword)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), passwordCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// user is who signed in, as the page handlers see them.
type user struct {
	name  string
	scope string // unit code or name; empty for all
}

type userKey struct{}

func withUser(ctx context.Context, u user) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// userOf is the user signed in for the request, when one is.
func userOf(ctx context.Context) (user, bool) {
	u, ok := ctx.Value(userKey{}).(user)
	return u, ok
}

type account struct {
	user
	hash []byte
}

// auth is what signing in needs, built once by New.
type auth struct {
	users map[string]account
	// Keys derived from the configured one, one per use, so that a
	// session's signature can never pass for a CSRF token.
	sessionKey, csrfKey []byte
	failures            *throttle
	now                 func() time.Time
}

func newAuth(cfg Config, log *slog.Logger) *auth {
	a := &auth{users: map[string]account{}, now: time.Now}
	a.failures = &throttle{now: func() time.Time { return a.now() }, strikes: map[string]strike{}}
	for _, u := range cfg.Users {
		a.users[u.Name] = account{user{u.Name, u.Scope}, []byte(u.PasswordHash)}
	}
	key := cfg.SessionKey
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
		if len(a.users) > 0 {
			log.Info("no session key is configured (server.session_key_env): people sign in again when the server restarts")
		}
	}
	a.sessionKey = mac(key, "followrank session")
	a.csrfKey = mac(key, "followrank csrf")
	return a
}

func mac(key []byte, parts ...string) []byte {
	h := hmac.New(sha256.New, key)
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

var b64 = base64.RawURLEncoding

// signature signs a session's name and expiry, and the user's password
// hash, so that a new password ends the sessions signed for the old one.
func (a *auth) signature(payload string, hash []byte) []byte {
	return mac(a.sessionKey, payload, string(hash))
}

// newSession is the cookie of a session for acc that starts now.
func (a *auth) newSession(acc account, r *http.Request) *http.Cookie {
	exp := a.now().Add(sessionLife)
	payload := acc.name + "|" + strconv.FormatInt(exp.Unix(), 10)
	value := b64.EncodeToString([]byte(payload)) + "." + b64.EncodeToString(a.signature(payload, acc.hash))
	return &http.Cookie{Name: sessionCookie, Value: value, Path: "/", Expires: exp, MaxAge: int(sessionLife / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r)}
}

// session is the user whose valid session cookie r carries.
func (a *auth) session(r *http.Request) (user, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return user{}, false
	}
	p, s, ok := strings.Cut(c.Value, ".")
	if !ok {
		return user{}, false
	}
	payload, err1 := b64.DecodeString(p)
	sig, err2 := b64.DecodeString(s)
	if err1 != nil || err2 != nil {
		return user{}, false
	}
	i := strings.LastIndexByte(string(payload), '|')
	if i < 0 {
		return user{}, false
	}
	acc, known := a.users[string(payload[:i])]
	// The signature is checked for unknown names too, against no hash, so
	// that refusing one takes the same time.
	if !hmac.Equal(sig, a.signature(string(payload), acc.hash)) || !known {
		return user{}, false
	}
	exp, err := strconv.ParseInt(string(payload[i+1:]), 10, 64)
	if err != nil || a.now().Unix() >= exp {
		return user{}, false
	}
	return acc.user, true
}

// endSession is the cookie that deletes the session cookie.
func endSession(r *http.Request) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r)}
}

// overTLS reports whether the browser reached us over HTTPS, directly or
// through a proxy that says so.
func overTLS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// csrfBinding is what r's CSRF token is derived from: the session when
// there is one, or else the browser's pre-session cookie; "" when neither.
func (a *auth) csrfBinding(r *http.Request) string {
	if _, ok := a.session(r); ok {
		c, _ := r.Cookie(sessionCookie)
		return "session:" + c.Value
	}
	if c, err := r.Cookie(csrfCookie); err == nil && c.Value != "" {
		return "browser:" + c.Value
	}
	return ""
}

// ensureBrowserCookie gives a browser without a session its pre-session
// cookie, so that the form it is about to get can carry a CSRF token; r
// then carries the cookie too, for csrfToken.
func (a *auth) ensureBrowserCookie(w http.ResponseWriter, r *http.Request) {
	if a.csrfBinding(r) != "" {
		return
	}
	c := &http.Cookie{Name: csrfCookie, Value: rand.Text(), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r)}
	http.SetCookie(w, c)
	r.AddCookie(c)
}

// csrfToken is the token a form on the page answering r must carry in its
// csrf field to be accepted; "" when r has neither a session nor the
// pre-session cookie (the login page gives the latter).
func (s *Server) csrfToken(r *http.Request) string {
	b := s.auth.csrfBinding(r)
	if b == "" {
		return ""
	}
	return b64.EncodeToString(mac(s.auth.csrfKey, b))
}

// validCSRF reports whether the form posted in r (or its X-CSRF-Token
// header) carries the token csrfToken gave.
func (s *Server) validCSRF(r *http.Request) bool {
	want := s.csrfToken(r)
	got := r.PostFormValue("csrf")
	if got == "" {
		got = r.Header.Get("X-CSRF-Token")
	}
	return want != "" && hmac.Equal([]byte(got), []byte(want))
}

// requireCSRF refuses a POST whose form does not carry the token of
// csrfToken. Wrap every route that takes a form of the pages in it.
func (s *Server) requireCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		if err := r.ParseForm(); err != nil {
			http.Error(w, sayBadForm, http.StatusBadRequest)
			return
		}
		if !s.validCSRF(r) {
			s.log.Warn("refused a form without a valid csrf token", "path", r.URL.Path, "ip", clientIP(r))
			http.Error(w, sayStaleForm, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate guards the pages when users or a read token are
// configured. It lets through a request that carries the read token (as a
// bearer token, or as the password of basic auth with any user name) or a
// valid session, with its user in the context. It sends a browser to
// /login and asks anything else for basic auth.
func (s *Server) authenticate(next http.Handler) http.Handler {
	if len(s.auth.users) == 0 && s.cfg.ReadToken == "" {
		return next
	}
	token := sha256.Sum256([]byte(s.cfg.ReadToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.ReadToken != "" {
			given := bearer(r)
			if _, pass, ok := r.BasicAuth(); ok {
				given = pass
			}
			if given != "" && same(given, token) {
				next.ServeHTTP(w, r)
				return
			}
		}
		if u, ok := s.auth.session(r); ok {
			next.ServeHTTP(w, r.WithContext(withUser(r.Context(), u)))
			return
		}
		if len(s.auth.users) > 0 && strings.Contains(r.Header.Get("Accept"), "text/html") {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="followrank"`)
		http.Error(w, sayNeedSignIn, http.StatusUnauthorized)
	})
}

// allowed reports whether the user signed in for ctx may read the
// rankings within scope: any scope for no user or a user without one;
// else the user's unit, the units below it and the units above it (a
// county's manager sees where the county stands in its city and province),
// but nothing below another unit.
func (s *Server) allowed(ctx context.Context, scope units.Node, tree *units.Tree) bool {
	u, ok := userOf(ctx)
	if !ok || u.scope == "" {
		return true
	}
	mine, err := tree.Find(u.scope, "")
	if err != nil {
		s.log.Error("a user's scope names no unit; refusing what they ask for", "user", u.name, "scope", u.scope, "err", err)
		return false
	}
	return tree.Within(scope.Code, mine.Code) || tree.Within(mine.Code, scope.Code)
}

// forbidScope answers a request for a scope the user may not read.
func (s *Server) forbidScope(w http.ResponseWriter, r *http.Request, scope units.Node) {
	u, _ := userOf(r.Context())
	mine := u.scope
	if s.units != nil {
		if tree, err := s.units.Tree(r.Context()); err == nil {
			if n, err := tree.Find(u.scope, ""); err == nil {
				mine = n.Name
			}
		}
	}
	s.log.Warn("refused a scope outside the user's", "user", u.name, "scope", scope.Code, "ip", clientIP(r))
	http.Error(w, fmt.Sprintf(sayOutOfScope, mine, scope.Name), http.StatusForbidden)
}

// loginView is what the login page shows.
type loginView struct {
	Name, Next, CSRF, Error string
	NoUsers                 bool
}

// loginPage is GET /login.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.showLogin(w, r, http.StatusOK, loginView{Next: localPath(r.URL.Query().Get("next"))})
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	s.auth.ensureBrowserCookie(w, r)
	v.CSRF = s.csrfToken(r)
	v.NoUsers = len(s.auth.users) == 0
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := loginTemplate.Execute(w, v); err != nil {
		s.log.Error("write login page", "err", err)
	}
}

// login is POST /login: the form's name, password, csrf and next.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, sayBadForm, http.StatusBadRequest)
		return
	}
	ip := clientIP(r)
	v := loginView{Name: strings.TrimSpace(r.PostFormValue("name")), Next: localPath(r.PostFormValue("next"))}
	if !s.validCSRF(r) {
		s.log.Warn("sign-in refused: no valid csrf token", "user", v.Name, "ip", ip)
		v.Error = sayStaleForm
		s.showLogin(w, r, http.StatusForbidden, v)
		return
	}
	byName, byAddr := "name:"+v.Name, "addr:"+ip
	if wait := s.auth.failures.try(byName, byAddr); wait > 0 {
		minutes := int((wait + time.Minute - 1) / time.Minute)
		s.log.Warn("sign-in refused: too many wrong passwords", "user", v.Name, "ip", ip, "minutes", minutes)
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		v.Error = fmt.Sprintf(sayTooMany, minutes)
		s.showLogin(w, r, http.StatusTooManyRequests, v)
		return
	}
	acc, known := s.auth.users[v.Name]
	hash := acc.hash
	if !known {
		hash = dummyHash
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(r.PostFormValue("password")))
	if err != nil || !known {
		reason := "wrong password"
		if !known {
			reason = "unknown user"
		} else if !errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
			reason = err.Error() // a hash bcrypt cannot read; config checks its form only
		}
		s.log.Warn("sign-in failed", "user", v.Name, "ip", ip, "reason", reason)
		v.Error = sayWrongPassword
		s.showLogin(w, r, http.StatusOK, v)
		return
	}
	s.auth.failures.succeeded(byName, byAddr)
	http.SetCookie(w, s.auth.newSession(acc, r))
	s.log.Info("signed in", "user", acc.name, "ip", ip)
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// logout is POST /logout, behind requireCSRF. Sessions are not kept on the
// server: signing out deletes the browser's cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if u, ok := s.auth.session(r); ok {
		s.log.Info("signed out", "user", u.name, "ip", clientIP(r))
	}
	http.SetCookie(w, endSession(r))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// localPath is next when it is a path on this server to go to after
// signing in, or else "/": never another site (//evil.example, or /\evil
// which browsers read alike), never the sign-in pages themselves.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, `\`) {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f { // browsers drop tabs and newlines: "/\t/evil.example"
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "/login" || u.Path == "/logout" {
		return "/"
	}
	return next
}

// clientIP is the address the request came from. Behind a reverse proxy
// it is the proxy's.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// throttle counts wrong passwords by key (a name, an address) in windows
// that start at a key's first wrong password, in memory and bounded.
type throttle struct {
	mu      sync.Mutex
	now     func() time.Time
	strikes map[string]strike
}

type strike struct {
	n     int
	since time.Time
}

// try counts an attempt against every key and returns 0; or, when a key
// has had maxFailures within its window, counts nothing and returns how
// long until the window ends. An attempt is counted as a failure before
// the password is checked, so that attempts made at once cannot slip past
// the limit; succeeded takes it back.
func (t *throttle) try(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		s, ok := t.strikes[k]
		switch {
		case !ok:
		case now.Sub(s.since) >= failureWindow:
			delete(t.strikes, k)
		case s.n >= maxFailures:
			wait = max(wait, s.since.Add(failureWindow).Sub(now))
		}
	}
	if wait > 0 {
		return wait
	}
	for _, k := range keys {
		s, ok := t.strikes[k]
		if !ok {
			t.makeRoom(now)
			s.since = now
		}
		s.n++
		t.strikes[k] = s
	}
	return 0
}

// succeeded forgets the name's failures and takes back the attempt try
// counted against the address.
func (t *throttle) succeeded(name, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.strikes, name)
	if s, ok := t.strikes[addr]; ok {
		if s.n--; s.n <= 0 {
			delete(t.strikes, addr)
		} else {
			t.strikes[addr] = s
		}
	}
}

// makeRoom keeps the map under maxTracked: it drops the windows that have
// ended and, if that is not enough, the oldest.
func (t *throttle) makeRoom(now time.Time) {
	if len(t.strikes) < maxTracked {
		return
	}
	var oldest string
	for k, s := range t.strikes {
		if now.Sub(s.since) >= failureWindow {
			delete(t.strikes, k)
		} else if oldest == "" || s.since.Before(t.strikes[oldest].since) {
			oldest = k
		}
	}
	if len(t.strikes) >= maxTracked {
		delete(t.strikes, oldest)
	}
}

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 公众号关注情况</title>
<style>
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f4f6;color:#1f2937;
font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif}
main{width:100%;max-width:400px;padding:16px}
form,.note{background:#fff;border-radius:8px;padding:24px 20px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:20px;line-height:1.4;margin:0 0 20px;text-align:center}
label{display:block;font-size:16px;margin:16px 0 6px}
input{width:100%;font-size:18px;padding:12px;border:1px solid #9ca3af;border-radius:6px;background:#fff;color:inherit}
input:focus{outline:2px solid #b91c1c;outline-offset:1px}
button{width:100%;margin-top:24px;font-size:18px;padding:13px;border:0;border-radius:6px;background:#b91c1c;color:#fff;cursor:pointer}
.error{margin:0 0 8px;padding:10px 12px;border:1px solid #fecaca;border-radius:6px;background:#fef2f2;color:#991b1b;font-size:16px}
@media (prefers-color-scheme:dark){body{background:#111827;color:#e5e7eb}form,.note{background:#1f2937}input{background:#111827;border-color:#4b5563}}
</style>
</head>
<body>
<main>
{{- if .NoUsers}}
<div class="note"><h1>“离退休干部工作”公众号<br>关注情况</h1><p class="error" role="alert">` + sayNoUsers + `</p></div>
{{- else}}
<form method="post" action="/login">
<h1>“离退休干部工作”公众号<br>关注情况</h1>
{{- with .Error}}
<p class="error" role="alert">{{.}}</p>
{{- end}}
<label for="name">用户名</label>
<input id="name" name="name" type="text" value="{{.Name}}" autocomplete="username" autocapitalize="off" spellcheck="false" required{{if not .Name}} autofocus{{end}}>
<label for="password">密码</label>
<input id="password" name="password" type="password" autocomplete="current-password" required{{if .Name}} autofocus{{end}}>
<input type="hidden" name="csrf" value="{{.CSRF}}">
<input type="hidden" name="next" value="{{.Next}}">
<button type="submit">登录</button>
</form>
{{- end}}
</main>
</body>
</html>
`))
