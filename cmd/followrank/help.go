package main

import (
	"flag"
	"fmt"
	"io"
	"reflect"
	"strings"

	"followrank/catalog"
)

// usage writes `followrank help`: what the program does and a line for each
// command.
func usage(w io.Writer, say *catalog.Printer) {
	fmt.Fprint(w, say.Say(catalog.HelpHead))
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, say.Say(c.summary))
	}
	fmt.Fprint(w, say.Say(catalog.HelpTail))
	if systemConfig != "" {
		fmt.Fprint(w, say.Say(catalog.HelpSystemConfig, systemConfig))
	}
}

// commandHelp writes `followrank NAME --help`: the synopsis, what the
// command does and its options.
func commandHelp(w io.Writer, say *catalog.Printer, fs *flag.FlagSet, args, desc catalog.Code) {
	fmt.Fprint(w, say.Say(catalog.HelpCommand, fs.Name(), say.Say(args), say.Say(desc)))
	printFlags(w, fs, say)
}

// typeNames are the names flag.UnquoteUsage gives a value when the flag's
// text does not name it.
var typeNames = map[string]catalog.Code{
	"string": catalog.HelpTypeString, "int": catalog.HelpTypeInt, "float": catalog.HelpTypeFloat, "value": catalog.HelpTypeValue,
}

// printFlags writes the options as flag.PrintDefaults lays them out, with
// the words of (default …) and of the values' types in say's language. The
// English is PrintDefaults' own, letter for letter.
func printFlags(w io.Writer, fs *flag.FlagSet, say *catalog.Printer) {
	fs.VisitAll(func(f *flag.Flag) {
		var b strings.Builder
		fmt.Fprintf(&b, "  -%s", f.Name)
		name, text := flag.UnquoteUsage(f)
		if code, ok := typeNames[name]; ok && !strings.Contains(f.Usage, "`") {
			name = say.Say(code)
		}
		if name != "" {
			b.WriteString(" " + name)
		}
		// As PrintDefaults: a one-letter bool flag's text on its line.
		if b.Len() <= 4 {
			b.WriteString("\t")
		} else {
			b.WriteString("\n    \t")
		}
		b.WriteString(strings.ReplaceAll(text, "\n", "\n    \t"))
		if !isZeroValue(f) {
			def := catalog.HelpDefault
			if g, ok := f.Value.(flag.Getter); ok {
				if _, text := g.Get().(string); text {
					def = catalog.HelpDefaultText // quoted in English
				}
			}
			b.WriteString(say.Say(def, f.DefValue))
		}
		fmt.Fprintln(w, b.String())
	})
}

// isZeroValue says the flag's default is its type's zero value, which
// PrintDefaults does not print; it decides as PrintDefaults does.
func isZeroValue(f *flag.Flag) bool {
	t := reflect.TypeOf(f.Value)
	var z reflect.Value
	if t.Kind() == reflect.Pointer {
		z = reflect.New(t.Elem())
	} else {
		z = reflect.Zero(t)
	}
	v, ok := z.Interface().(flag.Value)
	return ok && f.DefValue == v.String()
}
