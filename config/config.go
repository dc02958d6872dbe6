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
	"io"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
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
	// Timezone is the zone the schedule's times are read in.
	Timezone string `yaml:"timezone"`
	// Schedule lists the jobs `serve` runs and `ingest` runs once.
	Schedule []Job   `yaml:"schedule"`
	Sources  Sources `yaml:"sources"`
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
}

// Secret reads the AppSecret from its variable or file.
func (w WeChat) Secret() (string, error) {
	switch {
	case w.AppSecretEnv != "":
		if v := strings.TrimSpace(os.Getenv(w.AppSecretEnv)); v != "" {
			return v, nil
		}
		return "", fmt.Errorf("the environment variable %s (sources.wechat.app_secret_env) is not set", w.AppSecretEnv)
	case w.AppSecretFile != "":
		b, err := os.ReadFile(w.AppSecretFile)
		if err != nil {
			return "", fmt.Errorf("sources.wechat.app_secret_file: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return "", errors.New("set sources.wechat.app_secret_env or app_secret_file")
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
	// Submitters may POST figures to /api/v1/figures, each for its scope.
	Submitters []Submitter `yaml:"submitters"`
	// ReadToken, when set, is required (as a bearer token or as the
	// password of basic auth) to read pages, charts and exports.
	ReadToken string `yaml:"read_token"`
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
}

// Secret is the submitter's token, from the file or its environment variable.
func (s Submitter) Secret() string {
	if s.TokenEnv != "" {
		return os.Getenv(s.TokenEnv)
	}
	return s.Token
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
		Sources:    Sources{WeChat: WeChat{BackfillDays: 30}},
	}
}

// Load reads the YAML file at path over the defaults, then applies the
// environment. A missing file is an error only when the caller named it
// (explicit); the default path may be absent.
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
	if err := applyEnv(&cfg, environ); err != nil {
		return Config{}, fmt.Errorf("%s: %w", where, err)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", where, err)
	}
	return cfg, nil
}

// ValidationError names the key that is wrong and what is wrong with it.
type ValidationError struct {
	Key     string
	Problem string
}

func (e *ValidationError) Error() string { return e.Key + ": " + e.Problem }

var (
	identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	logLevels  = map[string]bool{"debug": true, "info": true, "warn": true, "error": true}
)

// Validate reports the first key whose value cannot work.
func (c Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return &ValidationError{Key: key, Problem: fmt.Sprintf(format, args...)}
	}
	if c.ClickHouse.DSN == "" {
		return bad("clickhouse.dsn", "is empty; want e.g. %s", DefaultDSN)
	}
	if !strings.HasPrefix(c.ClickHouse.DSN, "clickhouse://") {
		return bad("clickhouse.dsn", "%q must start with clickhouse:// (the native protocol; HTTP is not supported)", redact(c.ClickHouse.DSN))
	}
	opts, err := clickhouse.ParseDSN(c.ClickHouse.DSN)
	if err != nil {
		return bad("clickhouse.dsn", "%q cannot be parsed: %v", redact(c.ClickHouse.DSN), err)
	}
	if len(opts.Addr) == 0 || opts.Addr[0] == "" {
		return bad("clickhouse.dsn", "%q names no host:port", redact(c.ClickHouse.DSN))
	}
	if db := opts.Auth.Database; !identifier.MatchString(db) {
		return bad("clickhouse.dsn", "database %q must be letters, digits and _ (e.g. .../followrank)", db)
	}
	if c.ClickHouse.DialTimeout <= 0 {
		return bad("clickhouse.dial_timeout", "must be positive, e.g. 5s")
	}
	if c.ClickHouse.Cluster != "" && !identifier.MatchString(c.ClickHouse.Cluster) {
		return bad("clickhouse.cluster", "%q must be letters, digits and _", c.ClickHouse.Cluster)
	}
	if strings.TrimSpace(c.Scope) == "" {
		return bad("scope", "is empty; name the unit to rank within, e.g. 340000 or 安徽省")
	}
	if c.Metrics.StaleAfterDays <= 0 {
		return bad("metrics.stale_after_days", "must be a positive number of days, got %d", c.Metrics.StaleAfterDays)
	}
	if !logLevels[c.Log.Level] {
		return bad("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	if c.Log.Format != "text" && c.Log.Format != "json" {
		return bad("log.format", "%q is not text or json", c.Log.Format)
	}
	if c.OutDir == "" {
		return bad("out_dir", "is empty")
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return bad("timezone", "%q is not a time zone such as Asia/Shanghai", c.Timezone)
	}
	if c.Server.MaxBodyBytes <= 0 {
		return bad("server.max_body_bytes", "must be positive")
	}
	names := map[string]bool{}
	for i, j := range c.Schedule {
		key := fmt.Sprintf("schedule[%d]", i)
		switch {
		case j.Name == "":
			return bad(key+".name", "is empty")
		case names[j.Name]:
			return bad(key+".name", "%q is used twice", j.Name)
		case j.Spec == "":
			return bad(key+".spec", "is empty; e.g. \"0 30 2 * * *\" for 02:30 every night")
		case len(j.Sources) == 0:
			return bad(key+".sources", "names no source; e.g. [inbox]")
		}
		names[j.Name] = true
		for _, src := range j.Sources {
			if !knownSources[src] {
				return bad(key+".sources", "%q is not a source (inbox, wechat)", src)
			}
		}
	}
	if w := c.Sources.WeChat; w.AppID != "" {
		switch {
		case w.Account == "":
			return bad("sources.wechat.account", "is empty; the name the account's figures are stored under")
		case w.AppSecretEnv == "" && w.AppSecretFile == "":
			return bad("sources.wechat.app_secret_env", "or app_secret_file must say where the AppSecret is")
		case w.BackfillDays < 0 || w.BackfillDays > 365:
			return bad("sources.wechat.backfill_days", "must be 0 to 365, got %d", w.BackfillDays)
		}
	}
	tokens := map[string]bool{}
	for i, s := range c.Server.Submitters {
		key := fmt.Sprintf("server.submitters[%d]", i)
		switch {
		case s.Name == "":
			return bad(key+".name", "is empty")
		case s.Scope == "":
			return bad(key+".scope", "is empty; the unit this submitter may submit for")
		case s.TokenEnv != "" && s.Secret() == "":
			return bad(key+".token_env", "the environment variable %s is not set", s.TokenEnv)
		case len(s.Secret()) < 16:
			return bad(key+".token", "must be at least 16 characters (set token or token_env)")
		case tokens[s.Secret()]:
			return bad(key+".token", "is the same as another submitter's")
		}
		tokens[s.Secret()] = true
	}
	return nil
}

// knownSources are the scheduled sources followrank has.
var knownSources = map[string]bool{"inbox": true, "wechat": true}

// Database is the ClickHouse database named in the DSN.
func (c ClickHouse) Database() string {
	opts, err := clickhouse.ParseDSN(c.DSN)
	if err != nil {
		return ""
	}
	return opts.Auth.Database
}

// Address is the DSN with any password removed, for messages and logs.
func (c ClickHouse) Address() string { return redact(c.DSN) }

var password = regexp.MustCompile(`(://[^:/@]*:)[^@]*@`)

func redact(dsn string) string { return password.ReplaceAllString(dsn, "${1}***@") }

// EnvName is the environment variable that overrides the key at path.
func EnvName(path ...string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.Join(path, "_"))
}

// applyEnv overrides every scalar key for which a FOLLOWRANK_... variable is set.
func applyEnv(cfg *Config, environ []string) error {
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, EnvPrefix+"_") {
			env[k] = v
		}
	}
	if len(env) == 0 {
		return nil
	}
	return walk(reflect.ValueOf(cfg).Elem(), nil, func(path []string, v reflect.Value) error {
		name := EnvName(path...)
		s, ok := env[name]
		if !ok {
			return nil
		}
		if err := setScalar(v, s); err != nil {
			return &ValidationError{Key: strings.Join(path, ".") + " (from " + name + ")", Problem: err.Error()}
		}
		return nil
	})
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

func setScalar(v reflect.Value, s string) error {
	switch {
	case v.Type() == durationType:
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 5s or 2m", s)
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(s)
	case v.Kind() == reflect.Int:
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q is not a whole number", s)
		}
		v.SetInt(int64(n))
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("%q is not true or false", s)
		}
		v.SetBool(b)
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}
