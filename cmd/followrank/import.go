package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"followrank/catalog"
	"followrank/ingest"
	"followrank/jobs"
	"followrank/model"
	"followrank/store"
	"followrank/units"
)

// maxPrinted is how many rejections of one file are printed; all are counted
// and up to ingest's Keep are recorded in ClickHouse.
const maxPrinted = 200

func runImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", catalog.ImportArgs, catalog.ImportDesc)
	var asOf dateFlag
	fs.Var(&asOf, "as-of", e.cli.Say(catalog.FlagImportAsOf))
	within := fs.String("within", "", e.cli.Say(catalog.FlagImportWithin))
	sheet := fs.String("sheet", "", e.cli.Say(catalog.FlagImportSheet))
	dryRun := fs.Bool("dry-run", false, e.cli.Say(catalog.FlagImportDryRun))
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return mistake(e.cli, catalog.NoSheets)
	}

	tree, s, err := importTree(ctx, e, *dryRun)
	if err != nil {
		return err
	}
	if s != nil {
		defer s.Close()
	}
	var scope string
	if *within != "" {
		n, err := tree.Find(*within, "")
		if err != nil {
			return unitMistake(e.cli, "--within", err)
		}
		scope = n.Code
	}

	// A dry run stores nothing and records no run.
	var rec *jobs.Recorder
	var sink ingest.FigureSink
	var run model.Run
	if !*dryRun {
		sink = s
		rec = jobs.NewRecorder(s, e.log)
		if run, err = rec.Start(ctx, "import"); err != nil {
			return err
		}
	}
	var fatal []string
	var out ingest.Outcome
	for _, file := range files {
		o := ingest.SheetOptions{
			Tree: tree, Within: scope, Default: e.defaultScope(tree), Say: e.say,
			AsOf: asOf.t, Sheet: *sheet, Source: "import", RunID: run.ID,
			Progress: func(n int) { fmt.Fprintf(e.stderr, "%s: %d rows read\n", file, n) },
		}
		rep, err := ingest.ImportSheet(ctx, file, o, sink)
		printReport(e, rep, err, *dryRun)
		out.Add(rep)
		if err != nil {
			out.Items = append(out.Items, e.say.Say(catalog.RunItemFailed, filepath.Base(file), err.Error()))
		} else {
			out.Items = append(out.Items, e.say.Say(catalog.RunItemFile, filepath.Base(file), rep.Accepted, rep.Rejected))
		}
		if err != nil {
			fatal = append(fatal, fmt.Sprintf("%s: %v", file, err))
			out.Rejections = append(out.Rejections, model.Rejection{File: file, Field: "file", Reason: err.Error(), Code: string(ingest.CodeOf(err))})
		}
		if ctx.Err() != nil {
			break
		}
	}
	var failed error
	if len(fatal) > 0 {
		failed = errors.New(strings.Join(fatal, "; "))
	}
	if rec != nil {
		// Recorded even when the caller gave up waiting (see Recorder.Finish).
		if run, err = rec.Finish(ctx, run, out, failed); err != nil {
			return err
		}
	}
	switch {
	case len(fatal) > 0:
		return &exitError{code: 2, err: errors.New(e.say.Say(catalog.FilesFailed, len(fatal), len(files)))}
	case out.Rejected > 0:
		msg := e.say.Say(catalog.RowsRejected, out.Rejected)
		if run.ID != "" {
			msg += e.say.Say(catalog.RunID, run.ID)
		}
		return &exitError{code: 1, err: errors.New(msg)}
	}
	return ctx.Err()
}

// importTree is the unit tree to resolve rows against: the stored one, with
// the units the bureau imported. A dry run without ClickHouse falls back to
// the built-in divisions.
func importTree(ctx context.Context, e *env, dryRun bool) (*units.Tree, *store.Store, error) {
	s, tree, err := e.storeAndTree(ctx)
	if err != nil && dryRun {
		fmt.Fprintln(e.stderr, e.cli.Say(catalog.BuiltinOnly, err))
		tree, err := units.NewTree(units.Builtin())
		return tree, nil, err
	}
	return tree, s, err
}

func printReport(e *env, rep *ingest.Report, fatal error, dryRun bool) {
	say := e.say
	for i, r := range rep.Rejections {
		if i == maxPrinted {
			fmt.Fprintln(e.stdout, say.Say(catalog.MoreRejected, rep.Rejected-maxPrinted, rep.File))
			break
		}
		fmt.Fprintln(e.stdout, say.Rejection(r))
	}
	for i, w := range rep.Warnings {
		if i == maxPrinted {
			fmt.Fprintln(e.stdout, say.Say(catalog.MoreWarnings, rep.Warned-maxPrinted, rep.File))
			break
		}
		fmt.Fprintln(e.stdout, say.Say(catalog.WarningLine, say.Rejection(w)))
	}
	if fatal != nil {
		line := say.Say(catalog.NotImported, rep.File, fatal)
		if ingest.CodeOf(fatal) != catalog.StoredBefore {
			line += say.Say(catalog.NothingStored)
		}
		fmt.Fprintln(e.stdout, line)
		return
	}
	summary := catalog.Imported
	if dryRun {
		summary = catalog.DryRun
	}
	var b strings.Builder
	b.WriteString(say.Say(summary, rep.File, rep.Accepted, rep.Rejected, rep.Warned))
	if rep.Skipped > 0 {
		b.WriteString(say.Say(catalog.SummarySkipped, rep.Skipped))
	}
	switch {
	case rep.First.IsZero():
	case rep.First.Equal(rep.Last):
		b.WriteString(say.Say(catalog.SummaryAsOf, rep.First.Format(time.DateOnly)))
	default:
		b.WriteString(say.Say(catalog.SummaryDates, rep.First.Format(time.DateOnly), rep.Last.Format(time.DateOnly)))
	}
	b.WriteString(say.Say(catalog.SummaryScope, rep.Scope.Name, rep.Scope.Code, rep.Format))
	fmt.Fprintln(e.stdout, b.String())
}
