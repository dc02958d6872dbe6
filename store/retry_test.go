package store

import (
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
