// Package golden keeps a test's expected output in a file of its package's
// testdata/, where a reader sees it whole: the ranking table and the 通报's
// text, the charts' options, the help, the 催报 list, the robots' messages.
// `go test -update` rewrites the files with what the tests make; the diff
// is then read before it is committed.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with what the tests make")

// Update says the tests run with -update.
func Update() bool { return *update }

// Check compares got with the file at path; with -update it writes got
// there instead.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the test made, %s (if the change is meant, go test -update rewrites it: read the diff)", path, difference(got, want))
	}
}

// difference says where got first differs from want: the line, and both
// versions of it.
func difference(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < max(len(g), len(w)); i++ {
		var a, b []byte
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if !bytes.Equal(a, b) || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("at line %d:\n  made: %.300q\n  file: %.300q", i+1, a, b)
		}
	}
	return "in nothing (the bytes differ)"
}
