package store

import (
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
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

// TestQuorumFailures: the insert's quorum is lowered (see send) on the
// exceptions of an unmet quorum, as a server passes them on through a
// Distributed table, and on nothing else.
func TestQuorumFailures(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{&clickhouse.Exception{Code: 285, Message: "Number of alive replicas (1) is less than requested quorum (2)."}, true},
		{&clickhouse.Exception{Code: 286, Message: "Quorum for previous write has not been satisfied yet. Status: ..."}, true},
		{&clickhouse.Exception{Code: 319, Message: "Timeout while waiting for quorum"}, true},
		{fmt.Errorf("send: %w", &clickhouse.Exception{Code: 286, Message: "Received from 127.0.0.1:19102. DB::Exception: Quorum for previous write has not been satisfied yet."}), true},
		{&clickhouse.Exception{Code: 210, Message: "Connection refused"}, false},
		{fmt.Errorf("clickhouse [dial]: %w", syscall.ECONNREFUSED), false},
		{nil, false},
	} {
		if got := quorumFailed(tt.err); got != tt.want {
			t.Errorf("quorumFailed(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

// TestInsertSettings: only a retry, and only into a table whose rows carry
// a version, is sent without block deduplication; on a cluster every
// insert waits for its shards, by the setting's name on the server's
// version (see insertSettings).
func TestInsertSettings(t *testing.T) {
	for _, tt := range []struct {
		stmt    string
		attempt int
		quorum  int
		cluster string
		version string
		want    string
	}{
		{sqlInsertFigures, 1, 0, "", "18.16.1", ""},
		{sqlInsertFigures, 2, 0, "", "18.16.1", "insert_deduplicate=0"},
		{sqlInsertUnits, 3, 0, "", "24.8.4.13", "insert_deduplicate=0"},
		{sqlInsertRun, 2, 0, "", "18.16.1", "insert_deduplicate=0"},
		{sqlInsertRejections, 2, 0, "", "18.16.1", ""}, // rows without a version would count twice
		{sqlInsertRunItems, 2, 0, "", "18.16.1", ""},
		{"SELECT 1", 2, 0, "", "18.16.1", ""},
		{sqlInsertFigures, 1, 0, "c", "18.16.1", "insert_distributed_sync=1"},
		{sqlInsertFigures, 2, 0, "c", "23.9.1", "insert_deduplicate=0 insert_distributed_sync=1"},
		{sqlInsertRejections, 1, 0, "c", "23.10.1", "distributed_foreground_insert=1"},
		{sqlInsertFigures, 1, 0, "c", "26.7.2.1", "distributed_foreground_insert=1"},
		{sqlInsertFigures, 1, 2, "c", "18.16.1", "insert_distributed_sync=1 insert_quorum=2 insert_quorum_timeout=10000"},
		{sqlInsertRunItems, 2, 2, "c", "24.8.4.13", "distributed_foreground_insert=1 insert_quorum=2 insert_quorum_timeout=10000"},
	} {
		s := &Store{cluster: tt.cluster, version: parseVersion(tt.version)}
		var got []string
		for k, v := range s.insertSettings(tt.stmt, tt.attempt, tt.quorum) {
			got = append(got, fmt.Sprintf("%s=%v", k, v))
		}
		slices.Sort(got)
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("%.40s, attempt %d, quorum %d, cluster %q, %s: settings %q, want %q", tt.stmt, tt.attempt, tt.quorum, tt.cluster, tt.version, g, tt.want)
		}
	}
}

// TestSyntaxByServerVersion: what differs by version, chosen from the
// version the server reports: DROP … SYNC on servers with Atomic
// databases (20.10 and later), not on 18.16, which rejects it;
// LowCardinality and codecs where they need no experimental setting. A
// version that cannot be read counts as 18.16.
func TestSyntaxByServerVersion(t *testing.T) {
	for _, tt := range []struct {
		version          string
		drop             string
		low, codecs      bool
		insertSync, name string
	}{
		{"18.16.1", "", false, false, "insert_distributed_sync", "18.16"},
		{"19.1.6", "", false, true, "insert_distributed_sync", "19.1"},
		{"19.3.3", "", true, true, "insert_distributed_sync", "19.3"},
		{"20.9.7.11", "", true, true, "insert_distributed_sync", "20.9"},
		{"20.10.1", " SYNC", true, true, "insert_distributed_sync", "20.10"},
		{"23.10.1.1", " SYNC", true, true, "distributed_foreground_insert", "23.10"},
		{"24.8.4.13", " SYNC", true, true, "distributed_foreground_insert", "24.8"},
		{"26.7.2.1", " SYNC", true, true, "distributed_foreground_insert", "26.7"},
		{"", "", false, false, "insert_distributed_sync", "unknown"},
		{"garbage", "", false, false, "insert_distributed_sync", "unknown"},
	} {
		v := parseVersion(tt.version)
		if v.dropSuffix() != tt.drop || v.lowCardinality() != tt.low || v.codecs() != tt.codecs ||
			v.foregroundInsert() != tt.insertSync || v.String() != tt.name {
			t.Errorf("%q: %s drop %q low %v codecs %v insert %s; want %s drop %q low %v codecs %v insert %s", tt.version,
				v, v.dropSuffix(), v.lowCardinality(), v.codecs(), v.foregroundInsert(),
				tt.name, tt.drop, tt.low, tt.codecs, tt.insertSync)
		}
	}
}
