//go:build unix

package sheet

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Opening a named pipe waits for a writer, for ever, and a signal does not
// end the wait: Open refuses one before opening it.
func TestOpenNamedPipe(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pipe.csv", "pipe.xls"} {
		path := filepath.Join(dir, name)
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Skip(err)
		}
		for what, open := range map[string]func() error{
			"Open":           func() error { _, _, err := Open(path, ""); return err },
			"workbookStream": func() error { _, err := workbookStream(path); return err },
		} {
			done := make(chan error, 1)
			go func() { done <- open() }()
			select {
			case err := <-done:
				if want := name + " is not a regular file: it is a named pipe (FIFO); save the sheet to a file and import that"; err == nil || err.Error() != want {
					t.Errorf("%s(%s): %v", what, name, err)
				}
			case <-time.After(time.Second):
				t.Errorf("%s(%s) still waits after a second", what, name)
				// Let the reader go: open the pipe for writing, and close it.
				if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					w.Close()
				}
				<-done
			}
		}
	}
}
