package golden

import (
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps what a check said.
type recorder struct {
	testing.TB
	said  []string
	fatal bool
}

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, a ...any) { r.said = append(r.said, format) }
func (r *recorder) Fatalf(format string, a ...any) { r.fatal = true; r.said = append(r.said, format) }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testdata", "out.txt")
	r := &recorder{TB: t}
	Check(r, path, []byte("a\n"))
	if !r.fatal {
		t.Error("a missing golden file passed")
	}
	*update = true
	Check(t, path, []byte("a\nb\n")) // writes it
	*update = false
	Check(t, path, []byte("a\nb\n")) // the same: passes

	r = &recorder{TB: t}
	Check(r, path, []byte("a\nc\n"))
	if len(r.said) != 1 || r.fatal {
		t.Fatalf("a different output: said %q", r.said)
	}
	if d := difference([]byte("a\nc\n"), []byte("a\nb\n")); !strings.Contains(d, "line 2") || !strings.Contains(d, `"c"`) || !strings.Contains(d, `"b"`) {
		t.Errorf("difference = %s", d)
	}
	if d := difference([]byte("a\nb"), []byte("a\nb\nmore")); !strings.Contains(d, "line 3") {
		t.Errorf("difference of a shorter output = %s", d)
	}
}
