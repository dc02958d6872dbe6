package retry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"testing/synctest"
	"time"
)

type timeoutErr struct{}

func (timeoutErr) Error() string { return "i/o timeout" }
func (timeoutErr) Timeout() bool { return true }

// says is an error that knows whether it is transient.
type says bool

func (s says) Error() string   { return fmt.Sprintf("says transient=%v", bool(s)) }
func (s says) Transient() bool { return bool(s) }

func TestTransient(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"refused connection, as the ClickHouse driver returns it", fmt.Errorf("clickhouse [dial]: %w", refused), true},
		{"reset connection", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"connection cut mid-answer", io.EOF, true},
		{"timeout", timeoutErr{}, true},
		{"an error that says it is transient", fmt.Errorf("wrapped: %w", says(true)), true},
		{"an error that says it is not, over a network cause", says(false), false},
		{"cancelled", fmt.Errorf("x: %w", context.Canceled), false},
		{"deadline", context.DeadlineExceeded, false},
		{"a bad value", errors.New("column 3: converting string to UInt32"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := Transient(tt.err); got != tt.want {
			t.Errorf("%s: Transient(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestDoRetriesTransientFailuresWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var at []time.Duration
		start := time.Now()
		p := Policy{Attempts: 4, Wait: time.Second}
		err := p.Do(context.Background(), func(context.Context) error {
			at = append(at, time.Since(start))
			return syscall.ECONNREFUSED
		})
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("err = %v", err)
		}
		want := []time.Duration{0, time.Second, 3 * time.Second, 7 * time.Second}
		if fmt.Sprint(at) != fmt.Sprint(want) {
			t.Errorf("attempts at %v, want %v", at, want)
		}
	})
}

func TestDoStopsAtPermanentFailureAndSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		err := Policy{Attempts: 5, Wait: time.Second}.Do(context.Background(), func(context.Context) error {
			calls++
			return errors.New("syntax error")
		})
		if err == nil || calls != 1 {
			t.Errorf("permanent: %d calls, %v; want 1 call", calls, err)
		}
		calls = 0
		err = Policy{Attempts: 5, Wait: time.Second}.Do(context.Background(), func(context.Context) error {
			if calls++; calls < 3 {
				return io.EOF
			}
			return nil
		})
		if err != nil || calls != 3 {
			t.Errorf("recovering: %d calls, %v; want success on the 3rd", calls, err)
		}
	})
}

func TestDoPatienceBoundsTheTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		calls := 0
		err := Policy{Wait: time.Second, MaxWait: time.Second, Patience: time.Minute}.Do(context.Background(), func(context.Context) error {
			calls++
			return syscall.ECONNREFUSED
		})
		if err == nil || time.Since(start) > time.Minute || calls != 61 {
			t.Errorf("%d calls over %v; want 61 within a minute", calls, time.Since(start))
		}
	})
}
