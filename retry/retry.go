// Package retry is followrank's one policy for trying an operation again:
// one classifier says which failures may pass (a refused or broken
// connection, a timeout, an error that says so), and Policy.Do waits and
// tries again while they last. The store, the scheduled sources and the
// WeChat client all retry through it, so they agree on what is worth a
// second try.
package retry

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"
)

// Policy says how often and how patiently an operation is tried.
type Policy struct {
	// Attempts is how many times the operation is tried in all; 0 with
	// Patience set means as often as Patience allows.
	Attempts int
	// Wait is the first wait between attempts, doubled each time up to
	// MaxWait (no bound when 0).
	Wait, MaxWait time.Duration
	// Patience, when set, stops retrying once this long has passed since
	// the first attempt.
	Patience time.Duration
	// OnRetry, when set, is told of each failure that will be tried again.
	OnRetry func(attempt int, wait time.Duration, err error)
}

// Do runs op until it succeeds, fails for good (see Transient), has been
// tried p.Attempts times or p.Patience has passed, or ctx ends. It returns
// op's last error.
func (p Policy) Do(ctx context.Context, op func(context.Context) error) error {
	start := time.Now()
	wait := p.Wait
	for attempt := 1; ; attempt++ {
		err := op(ctx)
		if err == nil || !Transient(err) || ctx.Err() != nil {
			return err
		}
		if p.Attempts > 0 && attempt >= p.Attempts || p.Attempts == 0 && p.Patience == 0 {
			return err
		}
		if p.Patience > 0 && time.Since(start)+wait > p.Patience {
			return err
		}
		if p.OnRetry != nil {
			p.OnRetry(attempt, wait, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
		wait *= 2
		if p.MaxWait > 0 && wait > p.MaxWait {
			wait = p.MaxWait
		}
	}
}

// Transient says an error may pass if the operation is tried again. An
// error that knows (it has a Transient() bool method, as the store's and
// the WeChat client's errors do) decides for itself; otherwise a refused,
// reset or broken connection and a timeout are transient, and anything
// else (a bad file, a wrong secret, a syntax error) is not. A cancelled or
// expired context is never transient: the caller gave up.
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var t interface{ Transient() bool }
	if errors.As(err, &t) {
		return t.Transient()
	}
	return Network(err)
}

// Network says err is a failure of the connection itself: refused, reset,
// cut, unreachable, or timed out.
func Network(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	for _, e := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
		syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ETIMEDOUT, io.EOF, io.ErrUnexpectedEOF, net.ErrClosed} {
		if errors.Is(err, e) {
			return true
		}
	}
	// Some drivers flatten the cause into text.
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "i/o timeout"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
