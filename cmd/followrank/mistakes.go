package main

import (
	"errors"
	"flag"
	"regexp"
	"strconv"

	"followrank/catalog"
	"followrank/store"
	"followrank/units"
)

// mistake is a mistake in the command line, in the catalogue's words:
// exit status 2.
func mistake(say *catalog.Printer, code catalog.Code, args ...any) error {
	return &exitError{code: 2, err: errors.New(say.Say(code, args...))}
}

// worded is an error of another package said in the catalogue's words; the
// original stays reachable with errors.Is and errors.As.
type worded struct {
	msg string
	err error
}

func (w *worded) Error() string { return w.msg }
func (w *worded) Unwrap() error { return w.err }

// flagError is a mistake the flag package found in a command's options.
// Its Error is the package's English; run words it in the user's language
// (flagWords), since parse has no printer.
type flagError struct {
	set *flag.FlagSet
	err error
}

func (e *flagError) Error() string {
	return e.set.Name() + ": " + e.err.Error() + " (see followrank " + e.set.Name() + " --help)"
}

func (e *flagError) Unwrap() error { return e.err }

// The mistakes the flag package reports, as FlagSet.parseOne writes them:
// it reports them only as text.
var (
	reFlagUndefined = regexp.MustCompile(`^flag provided but not defined: -(.+)$`)
	reFlagNoValue   = regexp.MustCompile(`^flag needs an argument: -(.+)$`)
	reFlagBadValue  = regexp.MustCompile(`^invalid value ("(?:[^"\\]|\\.)*") for flag -([^:]+): (.*)$`)
	reFlagBadBool   = regexp.MustCompile(`^invalid boolean value ("(?:[^"\\]|\\.)*") for -([^:]+): `)
	reFlagSyntax    = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// flagWords says a mistake of the flag package in say's language, naming
// the flag and the value. A mistake of another form stays as the package
// wrote it.
func flagWords(say *catalog.Printer, fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if m := reFlagBadValue.FindStringSubmatch(msg); m != nil {
		value, _ := strconv.Unquote(m[1])
		return say.Say(catalog.FlagBadValue, m[2], value, valueProblem(say, fs.Lookup(m[2]), m[3]))
	}
	if m := reFlagBadBool.FindStringSubmatch(msg); m != nil {
		value, _ := strconv.Unquote(m[1])
		return say.Say(catalog.FlagBadBool, m[2], value)
	}
	if m := reFlagUndefined.FindStringSubmatch(msg); m != nil {
		return say.Say(catalog.FlagUndefined, m[1])
	}
	if m := reFlagNoValue.FindStringSubmatch(msg); m != nil {
		return say.Say(catalog.FlagNeedsValue, m[1])
	}
	if m := reFlagSyntax.FindStringSubmatch(msg); m != nil {
		return say.Say(catalog.FlagBadSyntax, m[1])
	}
	return msg
}

// valueProblem says why a flag's value was refused: the reason a dateFlag
// gave, or the flag package's parse error or range error for a number.
func valueProblem(say *catalog.Printer, f *flag.Flag, reason string) string {
	switch reason {
	case errNotDate.Error():
		return say.Say(catalog.FlagNotDate)
	case errNotDay.Error():
		return say.Say(catalog.FlagNotDay)
	case errNotRate.Error():
		return say.Say(catalog.FlagNotRate)
	case "value out of range":
		return say.Say(catalog.FlagOutOfRange)
	case "parse error":
		if f == nil {
			break
		}
		if g, ok := f.Value.(flag.Getter); ok {
			switch g.Get().(type) {
			case int, int64, uint, uint64:
				return say.Say(catalog.FlagNotWhole)
			case float64:
				return say.Say(catalog.FlagNotNumber)
			}
		}
	}
	return reason
}

// unitWords says why name (the value of a flag, or of a config key) names
// no unit: unknown, with the closest known; ambiguous; or outside the
// scope. Another error is said after name as it is.
func unitWords(say *catalog.Printer, name string, err error) string {
	var unknown *units.UnknownError
	var amb *units.AmbiguousError
	var out *units.OutsideError
	switch {
	case errors.As(err, &unknown):
		var near string
		if len(unknown.Suggestions) > 0 {
			near = say.Say(catalog.ClosestUnits, unitNames(say, unknown.Suggestions, false))
		}
		if unknown.Within.Code != "" {
			return say.Say(catalog.NoSuchUnitScope, name, unknown.Query, unknown.Within.Name, near)
		}
		return say.Say(catalog.NoSuchUnit, name, unknown.Query, near)
	case errors.As(err, &amb):
		return say.Say(catalog.AmbiguousUnit, name, amb.Query, unitNames(say, amb.Candidates, true))
	case errors.As(err, &out):
		return say.Say(catalog.UnitNotWithin, name, out.Unit.Code, out.Unit.Name, out.Within.Name)
	}
	return say.Say(catalog.FlagProblem, name, err.Error())
}

// unitMistake is unitWords as a mistake in the command line.
func unitMistake(say *catalog.Printer, flag string, err error) error {
	return &exitError{code: 2, err: &worded{unitWords(say, flag, err), err}}
}

// unitNames lists units by name, each with its code when codes is set or
// when two of them have the same name.
func unitNames(say *catalog.Printer, ns []units.Node, codes bool) string {
	count := map[string]int{}
	for _, n := range ns {
		count[n.Name]++
	}
	names := make([]string, len(ns))
	for i, n := range ns {
		names[i] = n.Name
		if codes || count[n.Name] > 1 {
			names[i] = say.Say(catalog.UnitAndCode, n.Name, n.Code)
		}
	}
	return say.List(names...)
}

// storeWords says what the user can set right about ClickHouse: it does
// not answer, or has no database yet. Other errors stay as they are.
func storeWords(say *catalog.Printer, err error) error {
	var down *store.UnreachableError
	var none *store.NoDatabaseError
	switch {
	case errors.As(err, &down):
		return &worded{say.Say(catalog.ClickHouseUnreachable, down.Addr, down.Cause), err}
	case errors.As(err, &none):
		return &worded{say.Say(catalog.ClickHouseNoDatabase, none.Addr, none.Database), err}
	}
	return err
}
