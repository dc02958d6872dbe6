// Package inbox is the source that imports the figure sheets offices drop
// into a folder.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"followrank/catalog"
	"followrank/ingest"
	"followrank/model"
	"followrank/units"
)

// Source imports the figure sheets dropped into a folder. A file that was
// read is moved to done/ (with a list of its rejected rows beside it when
// it had any); a file that cannot be read at all goes to failed/ with a
// .error.txt saying why. When storing fails, the file stays for the next run.
type Source struct {
	Dir    string
	Within string // unit code, as import --within; empty to take it from each sheet
	// Tree returns the unit tree as it is now, so that units imported
	// since the process started are known.
	Tree func(context.Context) (*units.Tree, error)
	// Default is the configured scope's code (see ingest.SheetOptions).
	Default string
	// Say writes the notes left beside the files for the offices; Chinese
	// when nil.
	Say *catalog.Printer
}

// Name is the source's name in schedules and runs.
func (*Source) Name() string { return "inbox" }

// Ingest imports every file waiting in the folder.
func (in *Source) Ingest(ctx context.Context, sink ingest.Sink, runID string) (ingest.Outcome, error) {
	var out ingest.Outcome
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
	if len(files) == 0 {
		return out, nil
	}
	tree, err := in.Tree(ctx)
	if err != nil {
		return out, fmt.Errorf("inbox: %w", err)
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		path := filepath.Join(in.Dir, name)
		o := ingest.SheetOptions{Tree: tree, Within: in.Within, Default: in.Default, Say: in.Say, Source: "inbox", RunID: runID}
		rep, err := ingest.ImportSheet(ctx, path, o, sink)
		var sinkErr *ingest.SinkError
		switch {
		case errors.As(err, &sinkErr):
			return out, fmt.Errorf("inbox: %s: %w (the file stays for the next run)", name, err)
		case errors.Is(err, os.ErrNotExist):
			continue // another process took the file meanwhile
		case err != nil:
			out.Items = append(out.Items, in.say().Say(catalog.RunItemFailed, name, err.Error()))
			out.Rejections = append(out.Rejections, model.Rejection{File: name, Field: "file", Reason: err.Error(), Code: string(ingest.CodeOf(err))})
			if merr := in.move(path, "failed", err.Error()); merr != nil {
				return out, merr
			}
		default:
			out.Add(rep)
			out.Items = append(out.Items, in.say().Say(catalog.RunItemFile, name, rep.Accepted, rep.Rejected))
			var note string
			if len(rep.Rejections) > 0 {
				var b strings.Builder
				for _, r := range rep.Rejections {
					b.WriteString(in.say().Rejection(r) + "\n")
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
func (in *Source) move(path, folder, note string) error {
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

func (in *Source) say() *catalog.Printer {
	if in.Say != nil {
		return in.Say
	}
	return catalog.New(catalog.Chinese)
}
