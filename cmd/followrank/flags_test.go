package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDateFlagsAsSheetsWriteThem(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-06-30", "2024-06-30"},
		{"2024/06/30", "2024-06-30"},
		{"2024-6-30", "2024-06-30"},
		{"2024.6.30", "2024-06-30"},
		{"2024年6月30日", "2024-06-30"},
		{"２０２４年６月３０日", "2024-06-30"},
		{"20240630", "2024-06-30"},
		{"2024-06", "2024-06-30"},
		{"2024/2", "2024-02-29"},
		{"2024年6月", "2024-06-30"},
		{"2023年2月", "2023-02-28"},
	}
	for _, tt := range tests {
		got, err := parseFlagDate(tt.in)
		if err != nil || got.Format(time.DateOnly) != tt.want {
			t.Errorf("%q: %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"2024-02-30", "2024-13", "yesterday", "30/06/2024", "2024-06-30x", "12024-06-30"} {
		if got, err := parseFlagDate(bad); err == nil {
			t.Errorf("%q taken as %v", bad, got)
		}
	}
}

// TestFlagMistakeIsSaidOnce: a bad flag value is one line, without the
// usage text, and the exit status is 2.
func TestFlagMistakeIsSaidOnce(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("LANG", "en_US.UTF-8")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"rank", "--date", "2024-02-30"}, &out, &errOut)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Fatalf("err = %v, want exit status 2", err)
	}
	if errOut.Len() != 0 || strings.Count(err.Error(), "2024-02-30") != 1 || strings.Contains(err.Error(), "usage") {
		t.Errorf("said:\n%s\nstderr:\n%s", err, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if err := run(context.Background(), []string{"rank", "--help"}, &out, &errOut); err != nil || !strings.Contains(errOut.String(), "usage: followrank rank") {
		t.Errorf("--help: %v\n%s", err, errOut.String())
	}
}
