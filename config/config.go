// Package config loads followrank's settings from a YAML file and the
// environment, and checks them before anything else runs.
//
// Every key can be overridden by an environment variable named after its
// path: clickhouse.dsn is FOLLOWRANK_CLICKHOUSE_DSN, metrics.stale_after_days
// is FOLLOWRANK_METRICS_STALE_AFTER_DAYS.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"followrank/catalog"
	"io"
	"io/fs"
	"math"
	"net"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// DefaultPath is where the config is looked for when --config is not given.
const DefaultPath = "followrank.yaml"

// DefaultDSN is the ClickHouse address used when none is configured.
const DefaultDSN = "clickhouse://127.0.0.1:9000/followrank"

// EnvPrefix starts every environment variable that overrides a key.
const EnvPrefix = "FOLLOWRANK"

// Config is the whole of followrank's configuration.
type Config struct {
	ClickHouse ClickHouse `yaml:"clickhouse"`
	// Scope is the default --within: the unit (code or name) whose ranking,
	// charts and tables are produced when none is named, e.g. 340000 for 安徽省.
	Scope   string  `yaml:"scope"`
	Metrics Metrics `yaml:"metrics"`
	Server  Server  `yaml:"server"`
	Log     Log     `yaml:"log"`
	// OutDir is where `followrank demo` writes its dashboard and table.
	OutDir string `yaml:"out_dir"`
	// Bureau is the office that issues the 通报: its 制表单位 and signature,
	// e.g. 中共安徽省委老干部局.
	Bureau string `yaml:"bureau"`
	// Lang is the language of what office staff and managers read:
	// rejections, refusals and errors. zh or en; empty when not set, which
	// is Chinese, except that the command line's help and mistakes then
	// follow the locale (LC_ALL, LC_MESSAGES, LANG).
	Lang string `yaml:"lang"`
	// Timezone is the zone the schedule's times are read in.
	Timezone string `yaml:"timezone"`
	// Schedule lists the jobs `serve` runs and `ingest` runs once.
	Schedule []Job   `yaml:"schedule"`
	Sources  Sources `yaml:"sources"`
	// Targets are the 省定目标: the follow rates units are to reach, by
	// scope. `remind` lists the units below theirs, the ranking chart draws
	// it as a line and the 通报 counts the units that reach it.
	Targets []Target `yaml:"targets"`
	Remind  Remind   `yaml:"remind"`
	// Push sends a summary of a scope's ranking to work-group robots.
	Push Push `yaml:"push"`
}

// Target is a 省定目标: the follow rate the units below a scope are to
// reach. A unit with no target of its own has its nearest ancestor's: a
// county in a province with a target and no city or county target has the
// province's.
type Target struct {
	// Scope is the unit the target is set for, a code or a name (340000, 安徽省).
	Scope string `yaml:"scope"`
	// Rate is the target follow rate, written 0.9 or "90%".
	Rate Rate `yaml:"rate"`
}

// Rate is a follow rate as a fraction (0.9), which the file may write as a
// fraction or as a percentage ("90%").
type Rate float64

// UnmarshalYAML reads a rate written 0.9, "0.9" or "90%".
func (r *Rate) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseRate(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: %q is not a rate: write 0.9 or \"90%%\"", n.Line, n.Value)
	}
	*r = Rate(v)
	return nil
}

// ParseRate reads a rate written as a fraction (0.9) or a percentage (90%,
// 90.5％) and returns it as a fraction. It does not check the range.
func ParseRate(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%") || strings.HasSuffix(t, "％")
	if pct {
		t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, "%"), "％"))
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a rate such as 0.9 or 90%%", s)
	}
	if pct {
		v /= 100
	}
	return v, nil
}

// Push says where a summary of a scope's ranking (top 3, bottom 3, the
// biggest climber, 未报送, a link to the page) is sent: to group robots of
// WeCom (企业微信) and DingTalk (钉钉). It is sent after every run that
// stores figures, when AfterRuns is set, and whenever a job of the
// schedule lists the source push (e.g. on the 通报 day each month).
type Push struct {
	// PublicURL is the web app's address as the group opens it, for the
	// summary's link, e.g. https://followrank.example.gov.cn; empty for no
	// link.
	PublicURL string  `yaml:"public_url"`
	AfterRuns bool    `yaml:"after_runs"`
	Robots    []Robot `yaml:"robots"`
}

// Robot is one group robot and the scope whose summary it gets. Its key
// (the WeCom webhook key or the DingTalk access_token) and a DingTalk
// robot's signing secret (加签) come from environment variables or files,
// like the WeChat AppSecret, never from this file.
type Robot struct {
	Kind       string `yaml:"kind"`  // wecom or dingtalk
	Scope      string `yaml:"scope"` // a unit's code or name: 亳州市
	KeyEnv     string `yaml:"key_env"`
	KeyFile    string `yaml:"key_file"`
	SecretEnv  string `yaml:"secret_env"`
	SecretFile string `yaml:"secret_file"`
	BaseURL    string `yaml:"base_url"` // for an intranet proxy; default the robot's own address

	env *environment
}

// Key reads the robot's key from its variable or file.
func (r Robot) Key() (string, error) { return r.env.secret("push.robots.key", r.KeyEnv, r.KeyFile) }

// Secret reads a DingTalk robot's signing secret from its variable or file.
func (r Robot) Secret() (string, error) {
	return r.env.secret("push.robots.secret", r.SecretEnv, r.SecretFile)
}

// secret reads a secret from the variable name or, when name is empty, the
// file; what names the setting in errors, which never hold the secret.
func (e *environment) secret(what, name, file string) (string, error) {
	switch {
	case name != "":
		if v := strings.TrimSpace(e.get(name)); v != "" {
			return v, nil
		}
		return "", fmt.Errorf("%s_env: the environment variable %s is not set", what, name)
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("%s_file: %w", what, err)
		}
		if v := strings.TrimSpace(string(b)); v != "" {
			return v, nil
		}
		return "", fmt.Errorf("%s_file: %s is empty", what, file)
	}
	return "", fmt.Errorf("set %s_env or %s_file", what, what)
}

// Remind configures `followrank remind`, the 催报 list.
type Remind struct {
	// DueDay is the day of the month after the period by which a unit that
	// has not reported is asked to report: 5 drafts 请于8月5日前报送 for July.
	DueDay int `yaml:"due_day"`
}

// Job is a scheduled ingestion: which sources run, and when.
type Job struct {
	Name string `yaml:"name"`
	// Spec is a cron line with optional seconds ("0 30 2 * * *" or
	// "30 2 * * *"), or a descriptor such as @daily or @every 1h.
	Spec    string   `yaml:"spec"`
	Sources []string `yaml:"sources"`
}

// Sources configures where scheduled figures come from.
type Sources struct {
	Inbox  Inbox  `yaml:"inbox"`
	WeChat WeChat `yaml:"wechat"`
}

// WeChat is an official account the bureau operates, read through the
// WeChat data API (datacube).
type WeChat struct {
	Account string `yaml:"account"` // the name its figures are stored under
	AppID   string `yaml:"app_id"`
	// The AppSecret comes from an environment variable or a file, never
	// from this file.
	AppSecretEnv  string `yaml:"app_secret_env"`
	AppSecretFile string `yaml:"app_secret_file"`
	BaseURL       string `yaml:"base_url"` // for an intranet proxy; default https://api.weixin.qq.com
	BackfillDays  int    `yaml:"backfill_days"`
	// RefetchDays is how many of the last stored days each run fetches
	// again: WeChat publishes a day after 08:00 the next morning and
	// revises it for a while after.
	RefetchDays int `yaml:"refetch_days"`

	// env is the environment Load was given; nil when the value was built
	// without Load, and then the process environment is read.
	env *environment
}

// Secret reads the AppSecret from its variable or file. The variable is
// looked up in the environment Load was given, or in the process
// environment when w was not made by Load.
func (w WeChat) Secret() (string, error) {
	return w.env.secret("sources.wechat.app_secret", w.AppSecretEnv, w.AppSecretFile)
}

// Inbox is a folder that offices drop figure sheets into. Each file is
// imported once, then moved to done/ or, when it cannot be read, to failed/
// with a .error.txt beside it.
type Inbox struct {
	Dir    string `yaml:"dir"`
	Within string `yaml:"within"` // as import --within; empty to take it from each sheet
}

// ClickHouse says where the figures are stored.
type ClickHouse struct {
	// DSN is clickhouse://[user[:password]@]host:port/database[?options].
	DSN string `yaml:"dsn"`
	// DialTimeout bounds how long a connection attempt may take, so that an
	// unreachable server is reported within seconds.
	DialTimeout time.Duration `yaml:"dial_timeout"`
	// Cluster, when set, is the ClickHouse cluster the tables are created on.
	Cluster string `yaml:"cluster"`
	// StatementLog, when set, is a file every statement sent to ClickHouse
	// is appended to, one JSON line each, as the server received it
	// (values bound): for review, and for `make test-current`, which runs
	// them on current ClickHouse.
	StatementLog string `yaml:"statement_log"`
}

// Metrics holds the rules the rankings are computed by.
type Metrics struct {
	// StaleAfterDays is how old a unit's latest report may be on the as-of
	// date before it is flagged stale (still carried forward).
	StaleAfterDays int `yaml:"stale_after_days"`
}

// Server configures `followrank serve`.
type Server struct {
	Addr string `yaml:"addr"`
	// MaxBodyBytes bounds a submission to the API.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// PageCacheBytes bounds the pages kept in memory between ingestion
	// runs (0: 64 MiB; -1: none kept, every page built for its request).
	PageCacheBytes int `yaml:"page_cache_bytes"`
	// Submitters may POST figures to /api/v1/figures, each for its scope.
	Submitters []Submitter `yaml:"submitters"`
	// ReadToken, when set, is required (as a bearer token or as the
	// password of basic auth) to read pages, charts and exports. It is for
	// scripts; people sign in as one of Users.
	ReadToken string `yaml:"read_token"`
	// Users may sign in at /login to read pages, charts and exports.
	Users []User `yaml:"users"`
	// SessionKeyEnv names an environment variable holding the key that
	// signs the session cookies, at least 32 bytes. When it is not set, the
	// server makes a random key at each start, so that every session ends
	// when the server restarts.
	SessionKeyEnv string `yaml:"session_key_env"`

	// env is the environment Load was given; nil when the value was built
	// without Load, and then the process environment is read.
	env *environment
}

// SessionKey is the key that signs session cookies, read from the variable
// SessionKeyEnv names, or nil when SessionKeyEnv is empty. The variable is
// looked up in the environment Load was given, or in the process
// environment when s was not made by Load.
func (s Server) SessionKey() []byte {
	if s.SessionKeyEnv == "" {
		return nil
	}
	if v := s.env.get(s.SessionKeyEnv); v != "" {
		return []byte(v)
	}
	return nil
}

// MinSessionKey is the shortest session key the server takes, in bytes.
const MinSessionKey = 32

// User is a person who may sign in to read the pages.
type User struct {
	Name string `yaml:"name"`
	// PasswordHash is the bcrypt hash of the password, as `followrank
	// passwd` prints it; the password itself is never written down.
	PasswordHash string `yaml:"password_hash"`
	// Scope, when set, is the unit (code or name) whose rankings the user
	// may read, with the units above it and below it; empty for all.
	Scope string `yaml:"scope"`
}

// Submitter is an office allowed to submit figures through the API.
type Submitter struct {
	Name string `yaml:"name"`
	// Token is the bearer token; TokenEnv names an environment variable
	// holding it instead, which keeps it out of the file.
	Token    string `yaml:"token"`
	TokenEnv string `yaml:"token_env"`
	// Scope is the unit (code or name) the submitter may submit for, with
	// everything below it.
	Scope string `yaml:"scope"`

	// env is the environment Load was given; nil when the value was built
	// without Load, and then the process environment is read.
	env *environment
}

// Secret is the submitter's token, from the file or its environment
// variable. The variable is looked up in the environment Load was given, or
// in the process environment when s was not made by Load.
func (s Submitter) Secret() string {
	if s.TokenEnv != "" {
		return s.env.get(s.TokenEnv)
	}
	return s.Token
}

// environment is the set of variables Load was given. It is held by pointer
// so that the values carrying it stay comparable with ==.
type environment struct{ vars map[string]string }

// newEnvironment reads environ, "NAME=value" entries as os.Environ gives
// them; where a name repeats, the last entry wins.
func newEnvironment(environ []string) *environment {
	e := &environment{vars: make(map[string]string, len(environ))}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			e.vars[k] = v
		}
	}
	return e
}

// get is the value of the variable name; a nil e reads the process
// environment.
func (e *environment) get(name string) string {
	if e == nil {
		return os.Getenv(name)
	}
	return e.vars[name]
}

// Log configures the program's own log lines.
type Log struct {
	Level  string `yaml:"level"`  // debug, info, warn or error
	Format string `yaml:"format"` // text or json
}

// Default returns the configuration used when no file and no environment
// variable says otherwise.
func Default() Config {
	return Config{
		ClickHouse: ClickHouse{DSN: DefaultDSN, DialTimeout: 5 * time.Second},
		Scope:      "340000",
		Metrics:    Metrics{StaleAfterDays: 45},
		Server:     Server{Addr: ":8080", MaxBodyBytes: 10 << 20},
		Log:        Log{Level: "info", Format: "text"},
		OutDir:     "out",
		Timezone:   "Asia/Shanghai",
		Sources:    Sources{WeChat: WeChat{BackfillDays: 30, RefetchDays: 3}},
		Remind:     Remind{DueDay: 5},
	}
}

// Load reads the YAML file at path over the defaults, then applies the
// environment. A missing file is an error only when the caller named it
// (explicit); the default path may be absent.
//
// environ, as os.Environ gives it, is the only environment consulted: both
// for FOLLOWRANK_... overrides and for the variables that token_env and
// app_secret_env name, which the returned Config's Secret methods read from
// it later. A nil environ is an empty environment.
//
// Every key that is wrong is reported: the error joins one *ValidationError
// per bad key (find them with errors.As), one per line.
func Load(path string, explicit bool, environ []string) (Config, error) {
	cfg := Default()
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
			return Config{}, fmt.Errorf("config %s: %w", path, err)
		}
	case errors.Is(err, fs.ErrNotExist) && !explicit:
	default:
		return Config{}, fmt.Errorf("config: %w", err)
	}
	where := "config"
	if data != nil {
		where += " " + path
	}
	env := newEnvironment(environ)
	errs := applyEnv(&cfg, env)
	cfg.Sources.WeChat.env = env
	cfg.Server.env = env
	for i := range cfg.Push.Robots {
		cfg.Push.Robots[i].env = env
	}
	for i := range cfg.Server.Submitters {
		cfg.Server.Submitters[i].env = env
	}
	errs = append(errs, cfg.validate()...)
	switch len(errs) {
	case 0:
		return cfg, nil
	case 1:
		return Config{}, fmt.Errorf("%s: %w", where, errs[0])
	}
	return Config{}, fmt.Errorf("%s: %d problems:\n%w", where, len(errs), errors.Join(errs...))
}

// ValidationError names the key that is wrong and what is wrong with it.
// Validate and Load report several of them joined with errors.Join; use
// errors.As to find one.
type ValidationError struct {
	Key     string // the key's path, e.g. metrics.stale_after_days
	Problem string // what is wrong with its value
}

// Error is "key: problem".
func (e *ValidationError) Error() string { return e.Key + ": " + e.Problem }

var (
	identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	logLevels  = map[string]bool{"debug": true, "info": true, "warn": true, "error": true}
)

// Validate reports every key whose value cannot work: nil when all are
// fine, or else the errors.Join of one *ValidationError per problem, whose
// message has each as "key: problem" on its own line.
func (c Config) Validate() error {
	return errors.Join(c.validate()...)
}

// validate lists the problems Validate reports, in the order of the keys.
func (c Config) validate() []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &ValidationError{Key: key, Problem: fmt.Sprintf(format, args...)})
	}
	for _, p := range checkDSN(c.ClickHouse.DSN) {
		bad("clickhouse.dsn", "%s", p)
	}
	if c.ClickHouse.DialTimeout <= 0 {
		bad("clickhouse.dial_timeout", "must be positive, e.g. 5s")
	}
	if c.ClickHouse.Cluster != "" && !identifier.MatchString(c.ClickHouse.Cluster) {
		bad("clickhouse.cluster", "%q must be letters, digits and _", c.ClickHouse.Cluster)
	}
	if strings.TrimSpace(c.Scope) == "" {
		bad("scope", "is empty; name the unit to rank within, e.g. 340000 or 安徽省")
	}
	if c.Metrics.StaleAfterDays <= 0 {
		bad("metrics.stale_after_days", "must be a positive number of days, got %d", c.Metrics.StaleAfterDays)
	}
	if !logLevels[c.Log.Level] {
		bad("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		bad("log.format", "%q is not text or json", c.Log.Format)
	}
	if _, err := catalog.ParseLang(c.Lang); err != nil {
		bad("lang", "%v", err)
	}
	if c.OutDir == "" {
		bad("out_dir", "is empty")
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		bad("timezone", "%q is not a time zone such as Asia/Shanghai", c.Timezone)
	}
	if c.Server.MaxBodyBytes <= 0 {
		bad("server.max_body_bytes", "must be positive")
	}
	names := map[string]bool{}
	for i, j := range c.Schedule {
		key := fmt.Sprintf("schedule[%d]", i)
		switch {
		case j.Name == "":
			bad(key+".name", "is empty")
		case names[j.Name]:
			bad(key+".name", "%q is used twice", j.Name)
		}
		names[j.Name] = true
		if j.Spec == "" {
			bad(key+".spec", "is empty; e.g. \"0 30 2 * * *\" for 02:30 every night")
		}
		if len(j.Sources) == 0 {
			bad(key+".sources", "names no source; e.g. [inbox]")
		}
		for _, src := range j.Sources {
			if !knownSources[src] {
				bad(key+".sources", "%q is not a source (inbox, wechat, push)", src)
			}
		}
	}
	if w := c.Sources.WeChat; w.AppID != "" {
		if w.Account == "" {
			bad("sources.wechat.account", "is empty; the name the account's figures are stored under")
		}
		if w.AppSecretEnv == "" && w.AppSecretFile == "" {
			bad("sources.wechat.app_secret_env", "or app_secret_file must say where the AppSecret is")
		}
		if w.BackfillDays < 0 || w.BackfillDays > 365 {
			bad("sources.wechat.backfill_days", "must be 0 to 365, got %d", w.BackfillDays)
		}
		if w.RefetchDays < 1 || w.RefetchDays > 30 {
			bad("sources.wechat.refetch_days", "must be 1 to 30, got %d", w.RefetchDays)
		}
	}
	tokens := map[string]bool{}
	for i, s := range c.Server.Submitters {
		key := fmt.Sprintf("server.submitters[%d]", i)
		if s.Name == "" {
			bad(key+".name", "is empty")
		}
		if s.Scope == "" {
			bad(key+".scope", "is empty; the unit this submitter may submit for")
		}
		secret := s.Secret()
		switch {
		case s.TokenEnv != "" && secret == "":
			bad(key+".token_env", "the environment variable %s is not set", s.TokenEnv)
		case len(secret) < 16:
			bad(key+".token", "must be at least 16 characters (set token or token_env)")
		case tokens[secret]:
			bad(key+".token", "is the same as another submitter's")
		}
		tokens[secret] = true
	}
	users := map[string]bool{}
	for i, u := range c.Server.Users {
		key := fmt.Sprintf("server.users[%d]", i)
		switch {
		case strings.TrimSpace(u.Name) == "":
			bad(key+".name", "is empty")
		case u.Name != strings.TrimSpace(u.Name):
			bad(key+".name", "%q begins or ends with spaces", u.Name)
		case users[u.Name]:
			bad(key+".name", "%q is used twice", u.Name)
		}
		users[u.Name] = true
		if !bcryptHash.MatchString(u.PasswordHash) {
			bad(key+".password_hash", "is not a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters); make one with `followrank passwd`")
		}
	}
	scopes := map[string]bool{}
	for i, t := range c.Targets {
		key := fmt.Sprintf("targets[%d]", i)
		switch scope := strings.TrimSpace(t.Scope); {
		case scope == "":
			bad(key+".scope", "is empty; name the unit the target is for, e.g. 340000 or 安徽省")
		case scopes[scope]:
			bad(key+".scope", "%q has a target already", scope)
		default:
			scopes[scope] = true
		}
		switch r := float64(t.Rate); {
		case r >= 2 && r <= 100: // a percentage without its %
			bad(key+".rate", "%v is more than 1: write %v%% as %v or \"%v%%\"", r, r, r/100, r)
		case !(r > 0 && r <= 1):
			bad(key+".rate", "must be above 0 and at most 1 (100%%), e.g. 0.9 or \"90%%\"; got %v", r)
		}
	}
	for i, r := range c.Push.Robots {
		key := fmt.Sprintf("push.robots[%d]", i)
		if r.Kind != "wecom" && r.Kind != "dingtalk" {
			bad(key+".kind", "must be wecom (企业微信) or dingtalk (钉钉), got %q", r.Kind)
		}
		if strings.TrimSpace(r.Scope) == "" {
			bad(key+".scope", "is empty; name the unit whose ranking the robot gets, e.g. 亳州市")
		}
		if r.KeyEnv == "" && r.KeyFile == "" {
			bad(key+".key_env", "or key_file must say where the robot's key (企业微信 webhook key, 钉钉 access_token) is")
		}
		if r.Kind == "dingtalk" && r.SecretEnv == "" && r.SecretFile == "" {
			bad(key+".secret_env", "or secret_file must say where the 钉钉 robot's signing secret (加签, SEC…) is")
		}
	}
	if u := c.Push.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		bad("push.public_url", "must begin with https:// or http://, got %q", u)
	}
	if d := c.Remind.DueDay; d < 1 || d > 28 {
		bad("remind.due_day", "must be a day from 1 to 28 (of the month after the period), got %d", d)
	}
	if name := c.Server.SessionKeyEnv; name != "" {
		switch key := c.Server.env.get(name); {
		case key == "":
			bad("server.session_key_env", "环境变量 %s 未设置（会话签名密钥）", name)
		case len(key) < MinSessionKey:
			bad("server.session_key_env", "环境变量 %s 中的会话签名密钥只有 %d 字节，至少需要 %d 字节（例如 openssl rand -base64 48 的输出）", name, len(key), MinSessionKey)
		}
	}
	return errs
}

// bcryptHash is what bcrypt writes: version, two-digit cost, and 53
// characters of salt and hash in bcrypt's base64 alphabet.
var bcryptHash = regexp.MustCompile(`^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$`)

// checkDSN lists what is wrong with a ClickHouse DSN, which must be
// clickhouse://[user[:password]@]host:port[,host:port...][/database][?options].
func checkDSN(dsn string) []string {
	if dsn == "" {
		return []string{fmt.Sprintf("is empty; want e.g. %s", DefaultDSN)}
	}
	if !strings.HasPrefix(dsn, "clickhouse://") {
		return []string{fmt.Sprintf("%q must start with clickhouse:// (the native protocol; HTTP is not supported)", redact(dsn))}
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// url.Error quotes the whole DSN, password and all; and when the
		// password holds a / the parser's own complaint quotes part of it.
		if strings.Contains(dsn, "@") {
			return []string{fmt.Sprintf("%q cannot be parsed (percent-encode any of / ? # @ %% in the user name or password)", redact(dsn))}
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return []string{fmt.Sprintf("%q cannot be parsed: %v", redact(dsn), err)}
	}
	var problems []string
	if u.Host == "" {
		problems = append(problems, fmt.Sprintf("%q names no host:port", redact(dsn)))
	} else {
		for h := range strings.SplitSeq(u.Host, ",") {
			if p := checkHostPort(h); p != "" {
				problems = append(problems, fmt.Sprintf("%q: %s", redact(dsn), p))
			}
		}
	}
	if db := database(u); !identifier.MatchString(db) {
		problems = append(problems, fmt.Sprintf("database %q must be letters, digits and _ (e.g. .../followrank)", db))
	}
	return problems
}

// checkHostPort says what is wrong with one host:port of a DSN, or "".
func checkHostPort(hostport string) string {
	if hostport == "" {
		return "names an empty host between commas"
	}
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return fmt.Sprintf("host %q is not host:port, e.g. 127.0.0.1:9000", hostport)
	}
	if host == "" {
		return fmt.Sprintf("host %q names no host before the port", hostport)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return fmt.Sprintf("host %q: port %q is not a number from 1 to 65535", hostport, port)
	}
	return ""
}

// database is the database a parsed DSN names: its path, or default when
// the path is empty.
func database(u *url.URL) string {
	if db := strings.TrimPrefix(u.Path, "/"); db != "" {
		return db
	}
	return "default"
}

// knownSources are the scheduled sources followrank has.
var knownSources = map[string]bool{"inbox": true, "wechat": true, "push": true}

// Database is the ClickHouse database named in the DSN's path, default when
// the path is empty, or "" when the DSN cannot be parsed.
func (c ClickHouse) Database() string {
	u, err := url.Parse(c.DSN)
	if err != nil {
		return ""
	}
	return database(u)
}

// Address is the DSN with any password removed, for messages and logs.
func (c ClickHouse) Address() string { return redact(c.DSN) }

var password = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)

func redact(dsn string) string { return password.ReplaceAllString(dsn, "${1}***@") }

// EnvName is the environment variable that overrides the key at path.
func EnvName(path ...string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.Join(path, "_"))
}

// applyEnv overrides every scalar key for which a FOLLOWRANK_... variable is
// set in env, and reports each variable that cannot be applied.
func applyEnv(cfg *Config, env *environment) []error {
	var errs []error
	_ = walk(reflect.ValueOf(cfg).Elem(), nil, func(path []string, v reflect.Value) error {
		name := EnvName(path...)
		s, ok := env.vars[name]
		if !ok {
			return nil
		}
		if err := setScalar(v, s); err != nil {
			errs = append(errs, &ValidationError{Key: strings.Join(path, ".") + " (from " + name + ")", Problem: err.Error()})
		}
		return nil
	})
	return errs
}

// walk calls fn for every scalar field, with its path of yaml keys.
func walk(v reflect.Value, path []string, fn func([]string, reflect.Value) error) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" {
			continue
		}
		p := append(append([]string(nil), path...), key)
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct {
			if err := walk(fv, p, fn); err != nil {
				return err
			}
			continue
		}
		if err := fn(p, fv); err != nil {
			return err
		}
	}
	return nil
}

var durationType = reflect.TypeOf(time.Duration(0))

// setScalar sets v, a scalar field, from the text of an environment
// variable.
func setScalar(v reflect.Value, s string) error {
	t := strings.TrimSpace(s)
	switch {
	case v.Type() == durationType:
		d, err := time.ParseDuration(t)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 5s or 2m", s)
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(s)
	case v.CanInt():
		n, err := strconv.ParseInt(t, 10, v.Type().Bits())
		if errors.Is(err, strconv.ErrRange) {
			return fmt.Errorf("%q is out of range", s)
		}
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		v.SetInt(n)
	case v.CanUint():
		n, err := strconv.ParseUint(t, 10, v.Type().Bits())
		if errors.Is(err, strconv.ErrRange) {
			return fmt.Errorf("%q is out of range", s)
		}
		if err != nil {
			return fmt.Errorf("%q is not a whole number of 0 or more", s)
		}
		v.SetUint(n)
	case v.CanFloat():
		f, err := strconv.ParseFloat(t, v.Type().Bits())
		if errors.Is(err, strconv.ErrRange) {
			return fmt.Errorf("%q is out of range", s)
		}
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%q is not a number", s)
		}
		v.SetFloat(f)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(t)
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		v.SetBool(b)
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}
