package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestTransient(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
		{fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{io.EOF, true},
		{timeoutErr{}, true},
		{&clickhouse.Exception{Code: 209, Message: "socket timeout"}, true},
		{&clickhouse.Exception{Code: 202, Message: "too many simultaneous queries"}, true},
		{&dbError{"INSERT INTO x", &clickhouse.Exception{Code: 210}}, true},
		{&clickhouse.Exception{Code: 62, Message: "Syntax error"}, false},
		{&clickhouse.Exception{Code: 53, Message: "Type mismatch"}, false},
		{&clickhouse.Exception{Code: 60, Message: "Table doesn't exist"}, false},
		{context.Canceled, false},
		{errors.New("column 3: converting string to UInt32"), false},
	}
	for _, tt := range tests {
		if got := Transient(tt.err); got != tt.want {
			t.Errorf("Transient(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestRetryIsBoundedAndSkipsPermanentErrors(t *testing.T) {
	defer func(a int, w time.Duration) { retryAttempts, retryWait = a, w }(retryAttempts, retryWait)
	retryAttempts, retryWait = 4, time.Millisecond
	s := &Store{}
	calls := 0
	err := s.retry(context.Background(), func() error { calls++; return syscall.ECONNREFUSED })
	if !errors.Is(err, syscall.ECONNREFUSED) || calls != 4 {
		t.Errorf("refused connection: %d calls, err %v; want 4 calls", calls, err)
	}
	calls = 0
	err = s.retry(context.Background(), func() error { calls++; return &clickhouse.Exception{Code: 62} })
	if err == nil || calls != 1 {
		t.Errorf("syntax error: %d calls; want 1, no retry", calls)
	}
	calls = 0
	err = s.retry(context.Background(), func() error {
		calls++
		if calls < 3 {
			return io.EOF
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("recovered after 2 failures: %d calls, %v", calls, err)
	}
}
