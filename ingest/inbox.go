package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"followrank/units"
)

// Outcome is what a scheduled source did in one run.
type Outcome struct {
	Accepted, Rejected, Warnings int
	Rejections                   []Rejection
	// Items says what was read, one line each: files, days.
	Items []string
}

func (o *Outcome) add(rep *Report) {
	o.Accepted += rep.Accepted
	o.Rejected += rep.Rejected
	o.Warnings += rep.Warned
	o.Rejections = append(o.Rejections, rep.Rejections...)
}

// SinkError is a failure to store figures: the storage, not the input, is
// at fault, and running again later may succeed.
type SinkError struct{ Err error }

func (e *SinkError) Error() string { return "store figures: " + e.Err.Error() }
func (e *SinkError) Unwrap() error { return e.Err }

// Inbox imports the figure sheets dropped into a folder. A file that was
// read is moved to done/ (with a list of its rejected rows beside it when
// it had any); a file that cannot be read at all goes to failed/ with a
// .error.txt saying why. When storing fails, the file stays for the next run.
type Inbox struct {
	Dir    string
	Within string // unit code, as import --within; empty to take it from each sheet
	Tree   *units.Tree
}

// Name is the source's name in schedules and runs.
func (*Inbox) Name() string { return "inbox" }

// Ingest imports every file waiting in the folder.
func (in *Inbox) Ingest(ctx context.Context, sink Sink, runID string) (Outcome, error) {
	var out Outcome
	entries, err := os.ReadDir(in.Dir)
	if err != nil {
		return out, fmt.Errorf("inbox: %w", err)
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") {
			continue // done/, failed/, editors' lock and temporary files
		}
		files = append(files, name)
	}
	sort.Strings(files)
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		path := filepath.Join(in.Dir, name)
		o := SheetOptions{Tree: in.Tree, Within: in.Within, Source: "inbox", RunID: runID}
		rep, err := ImportSheet(ctx, path, o, sink)
		var sinkErr *SinkError
		switch {
		case errors.As(err, &sinkErr):
			return out, fmt.Errorf("inbox: %s: %w (the file stays for the next run)", name, err)
		case errors.Is(err, os.ErrNotExist):
			continue // another process took the file meanwhile
		case err != nil:
			out.Items = append(out.Items, fmt.Sprintf("%s: failed: %v", name, err))
			out.Rejections = append(out.Rejections, Rejection{File: name, Field: "file", Reason: err.Error()})
			if merr := in.move(path, "failed", err.Error()); merr != nil {
				return out, merr
			}
		default:
			out.add(rep)
			out.Items = append(out.Items, fmt.Sprintf("%s: %d accepted, %d rejected", name, rep.Accepted, rep.Rejected))
			var note string
			if len(rep.Rejections) > 0 {
				var b strings.Builder
				for _, r := range rep.Rejections {
					b.WriteString(r.String() + "\n")
				}
				note = b.String()
			}
			if merr := in.move(path, "done", note); merr != nil {
				return out, merr
			}
		}
	}
	return out, nil
}

// move files a sheet under done/ or failed/, with a note beside it: the
// error for failed files, the rejected rows for done ones.
func (in *Inbox) move(path, folder, note string) error {
	dir := filepath.Join(in.Dir, folder)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	name := filepath.Base(path)
	dst := filepath.Join(dir, name)
	if _, err := os.Stat(dst); err == nil {
		ext := filepath.Ext(name)
		dst = filepath.Join(dir, strings.TrimSuffix(name, ext)+"."+time.Now().Format("20060102-150405")+ext)
	}
	if err := os.Rename(path, dst); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil // another process took the file meanwhile
		}
		return fmt.Errorf("inbox: %w", err)
	}
	if note == "" {
		return nil
	}
	suffix := ".rejected.txt"
	if folder == "failed" {
		suffix = ".error.txt"
	}
	return os.WriteFile(dst+suffix, []byte(note+"\n"), 0o644)
}
