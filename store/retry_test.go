package store

import (
	"context"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/ClickHouse/clickhouse-go/v2"

	"followrank/retry"
)

func TestDriverErrorsAreClassifiedForRetry(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	tests := []struct {
		err  error
		want bool
	}{
		{&clickhouse.Exception{Code: 209, Message: "socket timeout"}, true},
		{&clickhouse.Exception{Code: 202, Message: "too many simultaneous queries"}, true},
		{&dbError{"INSERT INTO x", &clickhouse.Exception{Code: 210}}, true},
		{clickhouse.ErrAcquireConnTimeout, true},
		{fmt.Errorf("clickhouse [dial]: %w", refused), true},
		{&clickhouse.Exception{Code: 62, Message: "Syntax error"}, false},
		{&clickhouse.Exception{Code: 53, Message: "Type mismatch"}, false},
		{&clickhouse.Exception{Code: 60, Message: "Table doesn't exist"}, false},
	}
	for _, tt := range tests {
		if got := retry.Transient(&chError{tt.err}); got != tt.want {
			t.Errorf("Transient(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// TestRetriedInsertsOfVersionedRowsSkipDeduplication: only a retry, and
// only into a table whose rows carry a version, is sent without block
// deduplication (see retryContext).
func TestRetriedInsertsOfVersionedRowsSkipDeduplication(t *testing.T) {
	for _, tt := range []struct {
		stmt    string
		attempt int
		want    bool // sent with insert_deduplicate = 0
	}{
		{sqlInsertFigures, 1, false},
		{sqlInsertFigures, 2, true},
		{sqlInsertUnits, 3, true},
		{sqlInsertRun, 2, true},
		{sqlInsertRejections, 2, false}, // rows without a version would count twice
		{sqlInsertRunItems, 2, false},
		{"SELECT 1", 2, false},
	} {
		ctx := context.Background()
		if got := retryContext(ctx, tt.stmt, tt.attempt) != ctx; got != tt.want {
			t.Errorf("%.40s, attempt %d: without deduplication %v, want %v", tt.stmt, tt.attempt, got, tt.want)
		}
	}
}

// TestSyntaxByServerVersion: DROP … SYNC on servers with Atomic databases
// (20.10 and later), not on 18.16, which rejects it.
func TestSyntaxByServerVersion(t *testing.T) {
	for version, want := range map[string]string{
		"18.16.1": "", "20.9.7.11": "", "20.10.1": " SYNC", "24.8.4.13": " SYNC", "26.7.1.1": " SYNC", "": "",
	} {
		if got := syntax(version); got != want {
			t.Errorf("syntax(%q) = %q, want %q", version, got, want)
		}
	}
}
