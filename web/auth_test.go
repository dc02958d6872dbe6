package web_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"followrank/config"
	"followrank/web"
)

const (
	readToken   = "read-secret-0123456789"
	wangPass    = "王芳的密码很长"
	liPass      = "li-password-123"
	sessionName = "followrank_session"
)

// users are the accounts the sign-in tests use: 王芳 sees everything, 李明
// only 蒙城县's lineage. Their hashes have bcrypt's least cost, for speed.
func users(t *testing.T) []config.User {
	t.Helper()
	hash := func(pw string) string {
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		return string(h)
	}
	return []config.User{
		{Name: "王芳", PasswordHash: hash(wangPass)},
		{Name: "李明", PasswordHash: hash(liPass), Scope: "蒙城县"},
	}
}

func startWithUsers(t *testing.T) *fixture {
	t.Helper()
	return start(t, web.Config{Users: users(t), SessionKey: []byte("a-test-session-key-of-32-bytes-or-more"), ReadToken: readToken}, nil)
}

// browser is a client with cookies that does not follow redirects, so that
// the tests see where they point.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func do(t *testing.T, c *http.Client, method, u string, form url.Values, header ...string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf opens the login page in c and returns the form's token.
func csrf(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	resp, body := do(t, c, "GET", base+"/login", nil)
	m := csrfField.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("login page: %d, no csrf field:\n%s", resp.StatusCode, body)
	}
	return m[1]
}

// signIn fills in the login form as a person would.
func signIn(t *testing.T, c *http.Client, base, name, password, next string) (*http.Response, string) {
	t.Helper()
	form := url.Values{"name": {name}, "password": {password}, "csrf": {csrf(t, c, base)}, "next": {next}}
	return do(t, c, "POST", base+"/login", form)
}

func cookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestLoginPageIsChineseAndFitsAPhone(t *testing.T) {
	f := startWithUsers(t)
	resp, body := do(t, browser(t), "GET", f.url+"/login?next=/runs", nil)
	for _, want := range []string{`<html lang="zh-CN">`, `<meta name="viewport" content="width=device-width, initial-scale=1">`,
		"用户名", "密码", `type="password"`, `autocomplete="current-password"`, `name="next" value="/runs"`, "font-size:18px"} {
		if !strings.Contains(body, want) {
			t.Errorf("the login page lacks %s", want)
		}
	}
	if c := cookie(resp, "followrank_csrf"); c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("the login page's pre-session cookie = %+v, want one HttpOnly and SameSite=Lax", c)
	}
}

func TestSignIn(t *testing.T) {
	f := startWithUsers(t)
	tests := []struct {
		name, user, password string
		status               int
		signedIn             bool
	}{
		{"the right password", "王芳", wangPass, http.StatusSeeOther, true},
		{"a wrong password", "王芳", "wrong-password", http.StatusOK, false},
		{"another user's password", "王芳", liPass, http.StatusOK, false},
		{"no password", "王芳", "", http.StatusOK, false},
		{"an unknown name", "张三", wangPass, http.StatusOK, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := browser(t)
			resp, body := signIn(t, c, f.url, tt.user, tt.password, "/")
			if resp.StatusCode != tt.status {
				t.Fatalf("POST /login: %d, want %d\n%s", resp.StatusCode, tt.status, body)
			}
			session := cookie(resp, sessionName)
			if !tt.signedIn {
				if session != nil {
					t.Errorf("a session cookie was set: %+v", session)
				}
				if !strings.Contains(body, "用户名或密码不正确") || !strings.Contains(body, `value="`+tt.user+`"`) {
					t.Errorf("the login page again should say why and keep the name:\n%s", body)
				}
				if resp, _ := do(t, c, "GET", f.url+"/", nil); resp.StatusCode != http.StatusSeeOther {
					t.Errorf("GET / without signing in: %d, want 303 to /login", resp.StatusCode)
				}
				return
			}
			if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Secure || session.MaxAge != 12*3600 {
				t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/, 12 h, not Secure over plain HTTP", session)
			}
			if strings.Contains(session.Value, tt.password) {
				t.Errorf("the cookie holds the password")
			}
			if loc := resp.Header.Get("Location"); loc != "/" {
				t.Errorf("after signing in: Location %q, want /", loc)
			}
			if resp, body := do(t, c, "GET", f.url+"/?date=2024-06-30", nil); resp.StatusCode != 200 || !strings.Contains(body, "echarts.init") {
				t.Errorf("GET / signed in: %d %.200s", resp.StatusCode, body)
			}
		})
	}
	logs := f.logs.String()
	for _, want := range []string{`msg="signed in" user=王芳`, `msg="sign-in failed" user=王芳`, `reason="unknown user"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s", want)
		}
	}
	for _, secret := range []string{wangPass, liPass, "wrong-password"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows the password %q", secret)
		}
	}
}

func TestSessionCookieOverHTTPSIsSecure(t *testing.T) {
	f := startWithUsers(t)
	c := browser(t)
	form := url.Values{"name": {"王芳"}, "password": {wangPass}, "csrf": {csrf(t, c, f.url)}, "next": {"/"}}
	resp, _ := do(t, c, "POST", f.url+"/login", form, "X-Forwarded-Proto", "https")
	if s := cookie(resp, sessionName); s == nil || !s.Secure {
		t.Errorf("session cookie behind an HTTPS proxy = %+v, want Secure", s)
	}
}

func TestWrongPasswordsAreThrottled(t *testing.T) {
	f := startWithUsers(t)
	c := browser(t)
	for i := 1; i <= 5; i++ {
		if resp, _ := signIn(t, c, f.url, "王芳", "wrong-password", "/"); resp.StatusCode != http.StatusOK {
			t.Fatalf("wrong password %d: %d, want 200 and the form again", i, resp.StatusCode)
		}
	}
	resp, body := signIn(t, c, f.url, "王芳", "wrong-password", "/")
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多，请 15 分钟后再试") {
		t.Fatalf("a 6th wrong password: %d, want 429 saying to wait 15 minutes\n%s", resp.StatusCode, body)
	}
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 900 {
		t.Errorf("Retry-After = %q, want 1 to 900 seconds", resp.Header.Get("Retry-After"))
	}
	// Refused now even with the right password, and for another name from
	// the same address.
	for _, u := range []struct{ name, password string }{{"王芳", wangPass}, {"李明", liPass}} {
		resp, _ := signIn(t, c, f.url, u.name, u.password, "/")
		if resp.StatusCode != http.StatusTooManyRequests || cookie(resp, sessionName) != nil {
			t.Errorf("%s with the right password during the wait: %d, want 429 and no session", u.name, resp.StatusCode)
		}
	}
	if !strings.Contains(f.logs.String(), "too many wrong passwords") {
		t.Error("the refusals are not logged")
	}
}

func TestTamperedSessionIsNotSignedIn(t *testing.T) {
	f := startWithUsers(t)
	c := browser(t)
	resp, _ := signIn(t, c, f.url, "李明", liPass, "/")
	good := cookie(resp, sessionName)
	if good == nil {
		t.Fatal("no session cookie")
	}
	payload, sig, _ := strings.Cut(good.Value, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	name, expiry, _ := strings.Cut(string(raw), "|")
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	flipped := []byte(sig)
	flipped[3] ^= 1
	tests := []struct{ name, value string }{
		{"another user's name", enc("王芳|"+expiry) + "." + sig},
		{"a later expiry", enc(name+"|9999999999") + "." + sig},
		{"a changed signature", payload + "." + string(flipped)},
		{"no signature", payload},
		{"a signature of nothing", payload + "."},
		{"not base64", "!!!.???"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := do(t, browser(t), "GET", f.url+"/runs?limit=5", nil, "Cookie", sessionName+"="+tt.value)
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/login?next=%2Fruns%3Flimit%3D5" {
				t.Errorf("GET /runs: %d to %q, want 303 to /login?next=%%2Fruns%%3Flimit%%3D5", resp.StatusCode, loc)
			}
		})
	}
	if resp, _ := do(t, browser(t), "GET", f.url+"/runs", nil, "Cookie", sessionName+"="+good.Value); resp.StatusCode != 200 {
		t.Errorf("the untouched cookie: %d, want 200", resp.StatusCode)
	}
}

func TestScriptsAreAskedForBasicAuth(t *testing.T) {
	f := startWithUsers(t)
	resp, body := get(t, f.url+"/export.csv?level=city")
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != `Basic realm="followrank"` || !strings.Contains(body, "需要登录") {
		t.Errorf("a script without a token: %d %q %q, want 401 asking for basic auth in Chinese", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
	}
}

func TestReadTokenStillWorksBesideUsers(t *testing.T) {
	f := startWithUsers(t)
	if resp, _ := get(t, f.url+"/export.csv?level=city", "Authorization", "Bearer "+readToken); resp.StatusCode != 200 {
		t.Errorf("bearer token: %d, want 200", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", f.url+"/runs", nil)
	req.SetBasicAuth("script", readToken)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("basic auth with the read token: %v %v", resp, err)
	}
	if resp, _ := get(t, f.url+"/export.csv?level=city", "Authorization", "Bearer wrong"); resp.StatusCode != 401 {
		t.Errorf("a wrong token: %d, want 401", resp.StatusCode)
	}
	// A user's password is not a token.
	req, _ = http.NewRequest("GET", f.url+"/runs", nil)
	req.SetBasicAuth("王芳", wangPass)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Errorf("basic auth with a user's password: %v %v, want 401", resp, err)
	}
}

func TestLoginNeedsItsCSRFToken(t *testing.T) {
	f := startWithUsers(t)
	other := csrf(t, browser(t), f.url) // a token of another browser
	tests := []struct{ name, token string }{
		{"no token", ""},
		{"a wrong token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"another browser's token", other},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := browser(t)
			csrf(t, c, f.url) // the browser has its pre-session cookie
			form := url.Values{"name": {"王芳"}, "password": {wangPass}, "next": {"/"}}
			if tt.token != "" {
				form.Set("csrf", tt.token)
			}
			resp, body := do(t, c, "POST", f.url+"/login", form)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "页面已过期") || cookie(resp, sessionName) != nil {
				t.Errorf("POST /login: %d, session %v, want 403 in Chinese and no session\n%s", resp.StatusCode, cookie(resp, sessionName), body)
			}
		})
	}
	// Nor is a form posted from elsewhere, without the browser's cookie.
	form := url.Values{"name": {"王芳"}, "password": {wangPass}, "next": {"/"}, "csrf": {other}}
	if resp, _ := do(t, browser(t), "POST", f.url+"/login", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form from elsewhere: %d, want 403", resp.StatusCode)
	}
}

func TestSignOut(t *testing.T) {
	f := startWithUsers(t)
	c := browser(t)
	signIn(t, c, f.url, "王芳", wangPass, "/")
	if resp, _ := do(t, c, "POST", f.url+"/logout", url.Values{"csrf": {"forged"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST /logout with a forged token: %d, want 403", resp.StatusCode)
	}
	if resp, _ := do(t, c, "GET", f.url+"/runs", nil); resp.StatusCode != 200 {
		t.Fatalf("still signed in after a refused sign-out: %d", resp.StatusCode)
	}
	token := csrf(t, c, f.url) // the login page's token, now bound to the session
	resp, _ := do(t, c, "POST", f.url+"/logout", url.Values{"csrf": {token}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("POST /logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if s := cookie(resp, sessionName); s == nil || s.MaxAge >= 0 {
		t.Errorf("sign-out did not delete the cookie: %+v", s)
	}
	if resp, _ := do(t, c, "GET", f.url+"/runs", nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /runs after signing out: %d, want 303 to /login", resp.StatusCode)
	}
}

func TestAfterSigningInOnlyLocalPathsAreFollowed(t *testing.T) {
	f := startWithUsers(t)
	tests := []struct{ next, want string }{
		{"/runs?limit=5", "/runs?limit=5"},
		{"/chart/climb?unit=%E8%92%99%E5%9F%8E%E5%8E%BF", "/chart/climb?unit=%E8%92%99%E5%9F%8E%E5%8E%BF"},
		{"", "/"},
		{"//evil.example", "/"},
		{"//evil.example/runs", "/"},
		{`/\evil.example`, "/"},
		{"/\t/evil.example", "/"},
		{"https://evil.example/", "/"},
		{"evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/login", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.next, func(t *testing.T) {
			resp, _ := signIn(t, browser(t), f.url, "王芳", wangPass, tt.next)
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != tt.want {
				t.Errorf("next=%q: %d to %q, want 303 to %q", tt.next, resp.StatusCode, loc, tt.want)
			}
		})
	}
	// The login page does not carry a foreign next into its form either.
	if _, body := do(t, browser(t), "GET", f.url+"/login?next=//evil.example", nil); !strings.Contains(body, `name="next" value="/"`) {
		t.Errorf("the login page keeps a foreign next:\n%s", body)
	}
}

func TestScopedUserReadsHerUnitsLineage(t *testing.T) {
	f := startWithUsers(t)
	c := browser(t)
	if resp, _ := signIn(t, c, f.url, "李明", liPass, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	// Whatever a page makes of a scope (a county's own dashboard may say
	// it has nothing below it to rank), it is answered, not refused.
	for _, within := range []string{"安徽省", "亳州市", "蒙城县"} {
		resp, body := do(t, c, "GET", f.url+"/?date=2024-06-30&within="+url.QueryEscape(within), nil)
		switch {
		case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusSeeOther:
			t.Errorf("within=%s: %d, want it answered\n%.300s", within, resp.StatusCode, body)
		case within != "蒙城县" && resp.StatusCode != 200:
			t.Errorf("within=%s: %d, want 200\n%.300s", within, resp.StatusCode, body)
		}
	}
	for _, within := range []string{"涡阳县", "合肥市", "江苏省"} {
		resp, body := do(t, c, "GET", f.url+"/?date=2024-06-30&within="+url.QueryEscape(within), nil)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "您的账号只能查看蒙城县") || !strings.Contains(body, within) {
			t.Errorf("within=%s: %d %.300s, want 403 naming 蒙城县 and %s", within, resp.StatusCode, body, within)
		}
	}
}

func TestHashPassword(t *testing.T) {
	// Characters are counted, not bytes: 7 characters are 21 bytes here.
	if _, err := web.HashPassword("七个字符的密码"); err == nil || !strings.Contains(err.Error(), "至少需要 8 个字符") {
		t.Errorf("a short password: %v, want a Chinese error", err)
	}
	if _, err := web.HashPassword(strings.Repeat("密", 25)); err == nil || !strings.Contains(err.Error(), "不能超过 72 字节") {
		t.Errorf("a password over 72 bytes: %v, want a Chinese error", err)
	}
	h, err := web.HashPassword("八个汉字的密码啊") // 8 characters, 24 bytes
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != 12 {
		t.Errorf("cost = %d, %v; want 12", cost, err)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(h), []byte("八个汉字的密码啊")); err != nil {
		t.Error(err)
	}
	cfg := config.Default()
	cfg.Server.Users = []config.User{{Name: "王芳", PasswordHash: h}}
	if err := cfg.Validate(); err != nil {
		t.Errorf("config does not take the hash: %v", err)
	}
}
