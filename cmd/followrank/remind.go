package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"followrank/catalog"
	"followrank/rank"
	"followrank/remind"
	"followrank/units"
)

// runRemind lists the units below a scope to chase (催报) and drafts a
// reminder for each, as text, CSV or XLSX.
func runRemind(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "remind", catalog.RemindArgs, catalog.RemindDesc)
	rf := addRankingFlags(e, fs)
	// The level's default depends on the scope (remindLevel), which its
	// text says.
	level := fs.Lookup("level")
	level.Usage, level.DefValue = e.cli.Say(catalog.FlagRemindLevel), ""
	var target rateFlag
	fs.Var(&target, "target", e.cli.Say(catalog.FlagRemindTarget))
	format := fs.String("format", "", e.cli.Say(catalog.FlagRemindFormat))
	out := fs.String("o", "", e.cli.Say(catalog.FlagRemindOut))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	levelGiven := false
	fs.Visit(func(f *flag.Flag) { levelGiven = levelGiven || f.Name == "level" })
	if target < 0 || target > 1 {
		return mistake(e.cli, catalog.TargetRange, float64(target))
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		if *format != "csv" && *format != "xlsx" {
			*format = "text"
		}
	}
	if *format != "text" && *format != "csv" && *format != "xlsx" {
		return mistake(e.cli, catalog.FlagNotOneOf, "--format", *format, e.cli.Or("text", "csv", "xlsx"))
	}
	if *format == "xlsx" && *out == "" {
		return mistake(e.cli, catalog.RemindXLSXOut)
	}
	s, m, scope, lvl, err := rf.open(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	if !levelGiven {
		if lvl, err = remindLevel(e, m, scope); err != nil {
			return err
		}
	}
	rf.compareDefault()
	targets, err := e.targets(m.Tree(), scope, float64(target))
	if err != nil {
		return err
	}
	now, prev, err := remind.Rankings(ctx, m, lvl, scope, rf.date.t, rf.compare.t)
	if err != nil {
		return userError(err)
	}
	l := remind.Check(now, prev, remind.Options{Targets: targets, DueDay: e.cfg.Remind.DueDay})
	write := func(w io.Writer) error { return remind.WriteText(w, l) }
	switch *format {
	case "csv":
		write = func(w io.Writer) error { return remind.WriteCSV(w, l) }
	case "xlsx":
		write = func(w io.Writer) error { return remind.WriteXLSX(w, l) }
	}
	if *out == "" {
		return write(e.stdout)
	}
	if err := writeFile(*out, write); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, e.cli.Say(catalog.WroteRemind, *out, len(l.Items), l.Checked, e.levelWord(lvl), e.dateWord(l.Date)))
	return nil
}

// remindLevel is the level remind checks when --level is not given: the
// counties, as every ranking command, or the units below a county.
func remindLevel(e *env, m *rank.Engine, scope units.Node) (units.Level, error) {
	if scope.Level.Depth() < units.County.Depth() {
		return units.County, nil
	}
	below := m.LevelsBelow(scope)
	if len(below) == 0 {
		return "", errors.New(e.cli.Say(catalog.NoUnitsBelow, scope.Name))
	}
	return below[0], nil
}

// targets are the 省定目标 of the config (targets:), their scopes found in
// tree; or, when override (--target) is set, that rate for every unit
// below scope. A scope the tree does not know is a mistake in the config.
func (e *env) targets(tree *units.Tree, scope units.Node, override float64) (*remind.Targets, error) {
	if override > 0 {
		return remind.NewTargets(tree, map[string]float64{scope.Code: override}), nil
	}
	rates := map[string]float64{}
	for i, t := range e.cfg.Targets {
		n, err := tree.Find(t.Scope, "")
		if err != nil {
			return nil, &exitError{code: 2, err: &worded{unitWords(e.cli, fmt.Sprintf("targets[%d].scope", i), err), err}}
		}
		rates[n.Code] = float64(t.Rate)
	}
	return remind.NewTargets(tree, rates), nil
}
