package config_test

import (
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
		{"short token", "server:\n  submitters:\n    - name: a\n      scope: 341622\n      token: short\n", nil, "server.submitters[0].token"},
		{"unset token variable", "server:\n  submitters:\n    - name: a\n      scope: 341622\n      token_env: FOLLOWRANK_NO_SUCH_TOKEN\n", nil, "FOLLOWRANK_NO_SUCH_TOKEN is not set"},
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

func TestPasswordIsNotShown(t *testing.T) {
	c := config.ClickHouse{DSN: "clickhouse://ops:s3cret@10.0.0.5:9000/followrank"}
	if got := c.Address(); strings.Contains(got, "s3cret") {
		t.Fatalf("Address() = %q shows the password", got)
	}
}

func TestExampleConfigLoads(t *testing.T) {
	t.Setenv("FOLLOWRANK_TOKEN_MENGCHENG", "an-example-token-0123456789")
	if _, err := config.Load("../followrank.example.yaml", true, nil); err != nil {
		t.Fatalf("the example config in the repository does not load: %v", err)
	}
}

func TestDockerConfigLoads(t *testing.T) {
	if _, err := config.Load("../deploy/docker.yaml", true, nil); err != nil {
		t.Fatalf("the Docker image's config does not load: %v", err)
	}
}
