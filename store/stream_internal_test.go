package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"followrank/config"
	"followrank/model"
)

// TestStreamingErrorIsOneLine: an error ClickHouse raises while a result is
// already streaming (here after two blocks of rows), from another server as
// in a cluster, whose message carries that server's stack trace, reaches the
// user as one line naming what failed; the driver's exception, trace and
// all, stays reachable for the log and for retry decisions.
func TestStreamingErrorIsOneLine(t *testing.T) {
	dsn := os.Getenv("FOLLOWRANK_CLICKHOUSE_DSN")
	if dsn == "" {
		dsn = config.DefaultDSN
	}
	cfg := config.ClickHouse{DSN: dsn, DialTimeout: 3 * time.Second}
	cfg.DSN = strings.TrimSuffix(dsn, "/"+cfg.Database()) + "/default"
	s, err := Open(context.Background(), cfg)
	if err != nil {
		if os.Getenv("FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE") == "1" || os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip("no ClickHouse: ", err)
	}
	defer s.Close()
	// Rows shaped as the stock reports EachReportOf streams, read through
	// remote() as a Distributed table reads a shard; the third block of
	// 65,536 fails on the "shard".
	const q = `SELECT toString(number), toUInt16(19000), toUInt8(1), toUInt32(throwIf(number >= 150000)), toUInt32(0)
FROM remote('127.0.0.1:9000', system.numbers) LIMIT 200000 SETTINGS max_block_size = 65536, prefer_localhost_replica = 0`
	n := 0
	err = s.eachReport(context.Background(), q, nil, time.Time{}, time.Time{}, true, func(model.Figure) error { n++; return nil })
	if err == nil {
		t.Fatal("the query did not fail")
	}
	if n == 0 {
		t.Error("no row came before the failure: the error was not raised while streaming")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "read figures: ") || len(msg) > 300 {
		t.Errorf("the error reads %d lines, %d bytes:\n%s\nwant one line naming what failed", strings.Count(msg, "\n")+1, len(msg), msg)
	}
	var d interface{ Detail() string }
	if !errors.As(err, &d) || !strings.Contains(d.Detail(), "Stack trace") {
		t.Error("the error's detail, for the log, lacks the server's stack trace")
	}
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) || ex.Code != 395 {
		t.Errorf("the driver's exception is not reachable through the error: %#v", err)
	}
}
