package config_test

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"followrank/config"
)

func write(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "followrank.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadMissingDefaultFileGivesDefaults(t *testing.T) {
	cfg, err := config.Load(filepath.Join(t.TempDir(), "absent.yaml"), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClickHouse.DSN != config.DefaultDSN || cfg.Metrics.StaleAfterDays != 45 {
		t.Fatalf("defaults = %+v", cfg)
	}
}

func TestLoadMissingExplicitFileIsAnError(t *testing.T) {
	_, err := config.Load(filepath.Join(t.TempDir(), "absent.yaml"), true, nil)
	if err == nil || !strings.Contains(err.Error(), "absent.yaml") {
		t.Fatalf("err = %v, want one naming the file", err)
	}
}

func TestEnvironmentOverridesFile(t *testing.T) {
	p := write(t, "clickhouse:\n  dsn: clickhouse://db.example:9000/fromfile\nmetrics:\n  stale_after_days: 30\n")
	cfg, err := config.Load(p, true, []string{
		"FOLLOWRANK_CLICKHOUSE_DSN=clickhouse://127.0.0.1:9100/fromenv",
		"FOLLOWRANK_CLICKHOUSE_DIAL_TIMEOUT=2s",
		"FOLLOWRANK_SCOPE=亳州市",
		"UNRELATED=1",
	})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ClickHouse.DSN != "clickhouse://127.0.0.1:9100/fromenv" {
		t.Errorf("dsn = %q, want the environment's", cfg.ClickHouse.DSN)
	}
	if cfg.ClickHouse.Database() != "fromenv" {
		t.Errorf("database = %q", cfg.ClickHouse.Database())
	}
	if cfg.ClickHouse.DialTimeout != 2*time.Second || cfg.Scope != "亳州市" || cfg.Metrics.StaleAfterDays != 30 {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestValidationNamesKeyAndProblem(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		env  []string
		want string
	}{
		{"http dsn", "clickhouse:\n  dsn: http://127.0.0.1:8123/x\n", nil, "clickhouse.dsn"},
		{"bad database name", "clickhouse:\n  dsn: clickhouse://127.0.0.1:9000/a-b\n", nil, `database "a-b"`},
		{"zero staleness", "metrics:\n  stale_after_days: 0\n", nil, "metrics.stale_after_days"},
		{"unknown key", "clickhuose:\n  dsn: x\n", nil, "clickhuose"},
		{"bad log level", "log:\n  level: loud\n", nil, "log.level"},
		{"env not a number", "", []string{"FOLLOWRANK_METRICS_STALE_AFTER_DAYS=soon"}, "FOLLOWRANK_METRICS_STALE_AFTER_DAYS"},
		{"env bad duration", "", []string{"FOLLOWRANK_CLICKHOUSE_DIAL_TIMEOUT=5"}, "clickhouse.dial_timeout"},
		{"bad time zone", "timezone: Mars/Olympus\n", nil, "timezone"},
		{"job without sources", "schedule:\n  - name: n\n    spec: \"@daily\"\n", nil, "schedule[0].sources"},
		{"unknown source", "schedule:\n  - name: n\n    spec: \"@daily\"\n    sources: [ftp]\n", nil, `"ftp" is not a source`},
		{"no refetch", "sources:\n  wechat:\n    account: a\n    app_id: wx1\n    app_secret_env: S\n    refetch_days: 0\n", nil, "sources.wechat.refetch_days: must be 1 to 30, got 0"},
		{"short token", "server:\n  submitters:\n    - name: a\n      scope: 341622\n      token: short\n", nil, "server.submitters[0].token"},
		{"unset token variable", "server:\n  submitters:\n    - name: a\n      scope: 341622\n      token_env: FOLLOWRANK_NO_SUCH_TOKEN\n", nil, "FOLLOWRANK_NO_SUCH_TOKEN is not set"},
		{"user without a name", "server:\n  users:\n    - password_hash: " + hashOfSecret + "\n", nil, "server.users[0].name: is empty"},
		{"user twice", "server:\n  users:\n    - {name: 王芳, password_hash: " + hashOfSecret + "}\n    - {name: 王芳, password_hash: " + hashOfSecret + "}\n", nil, `server.users[1].name: "王芳" is used twice`},
		{"password instead of its hash", "server:\n  users:\n    - {name: 王芳, password_hash: secret123}\n", nil, "server.users[0].password_hash: is not a bcrypt hash"},
		{"hash of another kind", "server:\n  users:\n    - {name: 王芳, password_hash: \"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA\"}\n", nil, "server.users[0].password_hash"},
		{"unset session key variable", "server:\n  session_key_env: FOLLOWRANK_NO_SUCH_KEY\n", nil, "环境变量 FOLLOWRANK_NO_SUCH_KEY 未设置"},
		{"short session key", "server:\n  session_key_env: FOLLOWRANK_TEST_KEY\n", []string{"FOLLOWRANK_TEST_KEY=0123456789abcdef0123456789abcde"}, "只有 31 字节，至少需要 32 字节"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(write(t, tt.yaml), true, tt.env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// hashOfSecret is a bcrypt hash (cost 4) of "secret123".
const hashOfSecret = "$2a$04$v.ujz/BOoDaVuG3wQX4HPOSmvqlp9sm0gazde/wj2eGMOi.2R4DhC"

func TestUsersAndSessionKeyLoad(t *testing.T) {
	absent(t, "FOLLOWRANK_TEST_SESSION_KEY")
	p := write(t, "server:\n  session_key_env: FOLLOWRANK_TEST_SESSION_KEY\n  users:\n"+
		"    - name: 王芳\n      password_hash: \""+hashOfSecret+"\"\n      scope: 蒙城县\n"+
		"    - name: 李明\n      password_hash: \""+strings.Replace(hashOfSecret, "$2a$", "$2y$", 1)+"\"\n")
	key := "a-session-key-of-forty-bytes-0123456789"
	cfg, err := config.Load(p, true, []string{"FOLLOWRANK_TEST_SESSION_KEY=" + key})
	if err != nil {
		t.Fatal(err)
	}
	want := []config.User{{Name: "王芳", PasswordHash: hashOfSecret, Scope: "蒙城县"}, {Name: "李明", PasswordHash: strings.Replace(hashOfSecret, "$2a$", "$2y$", 1)}}
	if len(cfg.Server.Users) != 2 || cfg.Server.Users[0] != want[0] || cfg.Server.Users[1] != want[1] {
		t.Errorf("users = %+v, want %+v", cfg.Server.Users, want)
	}
	if got := string(cfg.Server.SessionKey()); got != key {
		t.Errorf("SessionKey() = %q, want the key from environ", got)
	}
	if got := (config.Server{}).SessionKey(); got != nil {
		t.Errorf("SessionKey() without session_key_env = %q, want nil (the server makes one)", got)
	}
}

func TestPasswordIsNotShown(t *testing.T) {
	c := config.ClickHouse{DSN: "clickhouse://ops:s3cret@10.0.0.5:9000/followrank"}
	if got := c.Address(); strings.Contains(got, "s3cret") {
		t.Fatalf("Address() = %q shows the password", got)
	}
}

func TestExampleConfigLoads(t *testing.T) {
	environ := []string{"FOLLOWRANK_TOKEN_MENGCHENG=an-example-token-0123456789"}
	if _, err := config.Load("../followrank.example.yaml", true, environ); err != nil {
		t.Fatalf("the example config in the repository does not load: %v", err)
	}
}

func TestDockerConfigLoads(t *testing.T) {
	if _, err := config.Load("../deploy/docker.yaml", true, nil); err != nil {
		t.Fatalf("the Docker image's config does not load: %v", err)
	}
}

func TestDSNIsCheckedWithoutTheDriver(t *testing.T) {
	tests := []struct {
		dsn  string
		db   string // the Database() of a valid DSN
		want string // part of the error of an invalid one
	}{
		{dsn: "clickhouse://127.0.0.1:9000/followrank", db: "followrank"},
		{dsn: "clickhouse://127.0.0.1:19101,127.0.0.1:19103/followrank", db: "followrank"},
		{dsn: "clickhouse://ops:s3cret@db.example:9000/fr_2?dial_timeout=1s&compress=lz4", db: "fr_2"},
		{dsn: "clickhouse://[::1]:9000/followrank", db: "followrank"},
		{dsn: "clickhouse://127.0.0.1:9000", db: "default"},
		{dsn: "clickhouse://127.0.0.1:9000/", db: "default"},
		{dsn: "clickhouse://127.0.0.1:9000?dial_timeout=1s", db: "default"},
		{dsn: "", want: "is empty"},
		{dsn: "tcp://127.0.0.1:9000/followrank", want: "must start with clickhouse://"},
		{dsn: "clickhouse:///followrank", want: "names no host:port"},
		{dsn: "clickhouse://127.0.0.1/followrank", want: `host "127.0.0.1" is not host:port`},
		{dsn: "clickhouse://127.0.0.1,127.0.0.2:9000/followrank", want: `host "127.0.0.1" is not host:port`},
		{dsn: "clickhouse://a:9000,,b:9000/followrank", want: "empty host"},
		{dsn: "clickhouse://:9000/followrank", want: "names no host before the port"},
		{dsn: "clickhouse://a:0,b:9000/followrank", want: `port "0"`},
		{dsn: "clickhouse://a:x,b:9000/followrank", want: `port "x"`},
		{dsn: "clickhouse://a:9000/a-b", want: `database "a-b"`},
		{dsn: "clickhouse://a:9000/followrank/extra", want: `database "followrank/extra"`},
		{dsn: "clickhouse://a:9000/followrank%zz", want: "cannot be parsed"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			cfg := config.Default()
			cfg.ClickHouse.DSN = tt.dsn
			err := cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := cfg.ClickHouse.Database(); got != tt.db {
					t.Errorf("Database() = %q, want %q", got, tt.db)
				}
				return
			}
			var ve *config.ValidationError
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.As(err, &ve) || ve.Key != "clickhouse.dsn" {
				t.Fatalf("err = %v, want clickhouse.dsn: ...%s...", err, tt.want)
			}
		})
	}
}

func TestUnparsableDSNDoesNotShowThePassword(t *testing.T) {
	for _, dsn := range []string{
		"clickhouse://ops:pa/ss@10.0.0.5:9000/followrank",
		"clickhouse://ops:s3cret%zz@10.0.0.5:9000/followrank",
	} {
		cfg := config.Default()
		cfg.ClickHouse.DSN = dsn
		err := cfg.Validate()
		if err == nil {
			t.Fatalf("%s: no error", dsn)
		}
		for _, secret := range []string{"pa/ss", ":pa", "s3cret"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: error %q shows the password", dsn, err)
			}
		}
	}
}

// absent makes sure the process environment has no variable name while the
// test runs.
func absent(t *testing.T, name string) {
	t.Helper()
	t.Setenv(name, "") // restores the variable after the test
	os.Unsetenv(name)
}

func TestSecretsComeFromTheEnvironmentLoadWasGiven(t *testing.T) {
	absent(t, "FOLLOWRANK_TEST_SUBMITTER_TOKEN")
	absent(t, "FOLLOWRANK_TEST_WECHAT_SECRET")
	p := write(t, "server:\n  submitters:\n    - name: a\n      scope: 341622\n      token_env: FOLLOWRANK_TEST_SUBMITTER_TOKEN\n"+
		"sources:\n  wechat:\n    account: a\n    app_id: wx0123\n    app_secret_env: FOLLOWRANK_TEST_WECHAT_SECRET\n")
	cfg, err := config.Load(p, true, []string{
		"FOLLOWRANK_TEST_SUBMITTER_TOKEN=token-from-environ-0123456789",
		"FOLLOWRANK_TEST_WECHAT_SECRET=secret-from-environ",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Server.Submitters[0].Secret(); got != "token-from-environ-0123456789" {
		t.Errorf("submitter Secret() = %q, want the token from environ", got)
	}
	if got, err := cfg.Sources.WeChat.Secret(); err != nil || got != "secret-from-environ" {
		t.Errorf("WeChat Secret() = %q, %v; want the secret from environ", got, err)
	}
	// Copies keep the environment they were loaded with.
	subs := append([]config.Submitter(nil), cfg.Server.Submitters...)
	if got := subs[0].Secret(); got != "token-from-environ-0123456789" {
		t.Errorf("a copied submitter's Secret() = %q", got)
	}
}

func TestLoadedSecretsIgnoreTheProcessEnvironment(t *testing.T) {
	t.Setenv("FOLLOWRANK_TEST_SUBMITTER_TOKEN", "token-from-process-0123456789")
	t.Setenv("FOLLOWRANK_TEST_WECHAT_SECRET", "secret-from-process")
	p := write(t, "server:\n  submitters:\n    - name: a\n      scope: 341622\n      token_env: FOLLOWRANK_TEST_SUBMITTER_TOKEN\n")
	_, err := config.Load(p, true, nil)
	if err == nil || !strings.Contains(err.Error(), "FOLLOWRANK_TEST_SUBMITTER_TOKEN is not set") {
		t.Fatalf("err = %v, want the token variable reported unset", err)
	}
	cfg, err := config.Load(write(t, "sources:\n  wechat:\n    app_secret_env: FOLLOWRANK_TEST_WECHAT_SECRET\n"), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := cfg.Sources.WeChat.Secret(); err == nil {
		t.Errorf("WeChat Secret() = %q from the process environment, want an error", got)
	}
}

func TestSecretsOfValuesBuiltWithoutLoadReadTheProcessEnvironment(t *testing.T) {
	t.Setenv("FOLLOWRANK_TEST_SUBMITTER_TOKEN", "token-from-process-0123456789")
	t.Setenv("FOLLOWRANK_TEST_WECHAT_SECRET", "secret-from-process")
	s := config.Submitter{Name: "a", Scope: "341622", TokenEnv: "FOLLOWRANK_TEST_SUBMITTER_TOKEN"}
	if got := s.Secret(); got != "token-from-process-0123456789" {
		t.Errorf("Submitter.Secret() = %q", got)
	}
	if got := (config.Submitter{Token: "in-the-file"}).Secret(); got != "in-the-file" {
		t.Errorf("Submitter.Secret() = %q, want the token", got)
	}
	w := config.WeChat{AppSecretEnv: "FOLLOWRANK_TEST_WECHAT_SECRET"}
	if got, err := w.Secret(); err != nil || got != "secret-from-process" {
		t.Errorf("WeChat.Secret() = %q, %v", got, err)
	}
	// A file of nothing but a line end holds no secret: said, not sent.
	empty := filepath.Join(t.TempDir(), "appsecret")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := (config.WeChat{AppSecretFile: empty}).Secret(); err == nil || err.Error() != "sources.wechat.app_secret_file: "+empty+" is empty" {
		t.Errorf("WeChat.Secret() of an empty file = %q, %v", got, err)
	}
}

func TestValidateReportsEveryBadKey(t *testing.T) {
	cfg := config.Default()
	cfg.ClickHouse.DSN = "clickhouse://127.0.0.1:9000/a-b"
	cfg.Metrics.StaleAfterDays = 0
	cfg.Log.Level = "loud"
	err := cfg.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{`clickhouse.dsn: database "a-b"`, "metrics.stale_after_days: ", `log.level: "loud"`}
	if len(lines) != len(want) {
		t.Fatalf("error has %d lines, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want it to start %q", i+1, lines[i], w)
		}
	}
	var ve *config.ValidationError
	if !errors.As(err, &ve) || ve.Key != "clickhouse.dsn" {
		t.Errorf("errors.As finds %+v, want the clickhouse.dsn error", ve)
	}
	var keys []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		if errors.As(e, &ve) {
			keys = append(keys, ve.Key)
		}
	}
	if got := strings.Join(keys, " "); got != "clickhouse.dsn metrics.stale_after_days log.level" {
		t.Errorf("keys = %s", got)
	}
}

func TestLoadReportsEveryBadKey(t *testing.T) {
	p := write(t, "metrics:\n  stale_after_days: 0\nlog:\n  level: loud\nschedule:\n  - name: n\n")
	_, err := config.Load(p, true, []string{"FOLLOWRANK_SERVER_MAX_BODY_BYTES=lots"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, key := range []string{
		"server.max_body_bytes (from FOLLOWRANK_SERVER_MAX_BODY_BYTES)",
		"metrics.stale_after_days",
		"log.level",
		"schedule[0].spec",
		"schedule[0].sources",
	} {
		if !strings.Contains(err.Error(), "\n"+key+": ") {
			t.Errorf("the error does not have a line for %s:\n%v", key, err)
		}
	}
	if !strings.HasPrefix(err.Error(), "config "+p+": 5 problems:\n") {
		t.Errorf("the error does not start by naming the file and counting:\n%v", err)
	}
	var ve *config.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("errors.As finds no *ValidationError in %v", err)
	}
}

func TestTargetsLoadAsFractionOrPercentage(t *testing.T) {
	p := write(t, "targets:\n  - scope: 安徽省\n    rate: 0.9\n  - scope: \"341622\"\n    rate: 95%\n  - scope: 亳州市\n    rate: \"87.5 %\"\n  - scope: 涡阳县\n    rate: 1\nremind:\n  due_day: 10\n")
	cfg, err := config.Load(p, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []config.Target{{Scope: "安徽省", Rate: 0.9}, {Scope: "341622", Rate: 0.95}, {Scope: "亳州市", Rate: 0.875}, {Scope: "涡阳县", Rate: 1}}
	if len(cfg.Targets) != len(want) {
		t.Fatalf("targets = %+v, want %+v", cfg.Targets, want)
	}
	for i, w := range want {
		if g := cfg.Targets[i]; g.Scope != w.Scope || math.Abs(float64(g.Rate-w.Rate)) > 1e-12 {
			t.Errorf("targets[%d] = %+v, want %+v", i, g, w)
		}
	}
	if cfg.Remind.DueDay != 10 {
		t.Errorf("remind.due_day = %d, want 10", cfg.Remind.DueDay)
	}
	if d := config.Default(); d.Remind.DueDay != 5 || d.Targets != nil {
		t.Errorf("defaults: remind.due_day %d, targets %v; want 5 and none", d.Remind.DueDay, d.Targets)
	}
}

func TestTargetMistakesNameKeyAndProblem(t *testing.T) {
	tests := []struct {
		name, yaml string
		key        string // the ValidationError's key; empty for a mistake the YAML decoder reports
		want       string
	}{
		{"not a rate", "targets:\n  - scope: 安徽省\n    rate: 九成\n", "", `line 3: "九成" is not a rate: write 0.9 or "90%"`},
		{"a list for a rate", "targets:\n  - scope: 安徽省\n    rate: [0.9]\n", "", "is not a rate"},
		{"a percentage without %", "targets:\n  - scope: 安徽省\n    rate: 90\n", "targets[0].rate", `90 is more than 1: write 90% as 0.9 or "90%"`},
		{"over 100%", "targets:\n  - scope: 安徽省\n    rate: 120%\n", "targets[0].rate", "must be above 0 and at most 1 (100%)"},
		{"zero", "targets:\n  - scope: 安徽省\n    rate: 0\n", "targets[0].rate", "got 0"},
		{"negative", "targets:\n  - scope: 安徽省\n    rate: -0.9\n", "targets[0].rate", "got -0.9"},
		{"no rate", "targets:\n  - scope: 安徽省\n", "targets[0].rate", "got 0"},
		{"no scope", "targets:\n  - rate: 0.9\n", "targets[0].scope", "is empty"},
		{"a scope twice", "targets:\n  - {scope: 安徽省, rate: 0.9}\n  - {scope: 安徽省, rate: 0.8}\n", "targets[1].scope", `"安徽省" has a target already`},
		{"due day past the 28th", "remind:\n  due_day: 31\n", "remind.due_day", "must be a day from 1 to 28"},
		{"due day from the environment", "", "remind.due_day", "got 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var env []string
			if tt.yaml == "" {
				env = []string{"FOLLOWRANK_REMIND_DUE_DAY=0"}
			}
			_, err := config.Load(write(t, tt.yaml), true, env)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			var ve *config.ValidationError
			if tt.key != "" && (!errors.As(err, &ve) || ve.Key != tt.key) {
				t.Errorf("err = %v, want a ValidationError of %s", err, tt.key)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]float64{"0.9": 0.9, "90%": 0.9, " 90 % ": 0.9, "87.5％": 0.875, "1": 1, "100%": 1} {
		if got, err := config.ParseRate(in); err != nil || math.Abs(got-want) > 1e-12 {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "%", "九成", "0.9.1", "NaN", "Inf%"} {
		if _, err := config.ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) took it", in)
		}
	}
}

func TestPushMistakesNameKeyAndProblem(t *testing.T) {
	tests := []struct {
		name, yaml, key, want string
	}{
		{"unknown kind", "push:\n  robots:\n    - {kind: slack, scope: 亳州市, key_env: K}\n", "push.robots[0].kind", `must be wecom (企业微信) or dingtalk (钉钉), got "slack"`},
		{"no scope", "push:\n  robots:\n    - {kind: wecom, key_env: K}\n", "push.robots[0].scope", "is empty"},
		{"no key", "push:\n  robots:\n    - {kind: wecom, scope: 亳州市}\n", "push.robots[0].key_env", "or key_file must say where"},
		{"dingtalk without its secret", "push:\n  robots:\n    - {kind: dingtalk, scope: 亳州市, key_env: K}\n", "push.robots[0].secret_env", "signing secret"},
		{"link without a scheme", "push:\n  public_url: followrank.example.gov.cn\n", "push.public_url", "must begin with https://"},
		{"push is a source of the schedule", "schedule:\n  - {name: tongbao, spec: \"0 0 9 5 * *\", sources: [pushes]}\n", "schedule[0].sources", `"pushes" is not a source (inbox, wechat, push)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(write(t, tt.yaml), true, nil)
			var ve *config.ValidationError
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.As(err, &ve) || ve.Key != tt.key {
				t.Fatalf("err = %v, want a ValidationError of %s mentioning %q", err, tt.key, tt.want)
			}
		})
	}
}

func TestRobotSecretsComeFromTheEnvironmentOrAFile(t *testing.T) {
	absent(t, "FOLLOWRANK_TEST_WECOM_KEY")
	file := filepath.Join(t.TempDir(), "ding.secret")
	if err := os.WriteFile(file, []byte("SECsecret-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := write(t, "push:\n  robots:\n    - {kind: wecom, scope: 亳州市, key_env: FOLLOWRANK_TEST_WECOM_KEY}\n"+
		"    - {kind: dingtalk, scope: 蒙城县, key_env: FOLLOWRANK_TEST_MISSING, secret_file: "+file+"}\n")
	cfg, err := config.Load(p, true, []string{"FOLLOWRANK_TEST_WECOM_KEY=key-from-environ"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := cfg.Push.Robots[0].Key(); err != nil || got != "key-from-environ" {
		t.Errorf("wecom Key() = %q, %v", got, err)
	}
	if got, err := cfg.Push.Robots[1].Secret(); err != nil || got != "SECsecret-from-file" {
		t.Errorf("dingtalk Secret() = %q, %v", got, err)
	}
	if _, err := cfg.Push.Robots[1].Key(); err == nil || !strings.Contains(err.Error(), "FOLLOWRANK_TEST_MISSING is not set") {
		t.Errorf("missing key: err = %v", err)
	}
}
