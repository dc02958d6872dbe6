package ingest

import (
	"errors"
	"fmt"

	"followrank/catalog"
	"followrank/sheet"
	"followrank/units"
)

// Problem is what is wrong with a row or a file, in the catalogue's words:
// its code for machines and its message in the import's language.
type Problem struct {
	Code catalog.Code
	Args []any
	// Err is the cause, when there is one: a failure to store the figures
	// (a *SinkError) stays one behind its explanation.
	Err error
	say *catalog.Printer
}

// Unwrap is the cause.
func (p *Problem) Unwrap() error { return p.Err }

func (p *Problem) Error() string {
	say := p.say
	if say == nil {
		say = catalog.New(catalog.Chinese)
	}
	return say.Say(p.Code, p.Args...)
}

// CodeOf is the catalogue code of err, or "" when it has none.
func CodeOf(err error) catalog.Code {
	var p *Problem
	if errors.As(err, &p) {
		return p.Code
	}
	return ""
}

// problem makes a Problem in the import's language. Text from the file in
// its arguments is made printable (see sheet.Printable).
func (o SheetOptions) problem(code catalog.Code, args ...any) *Problem {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = sheet.Printable(s)
		}
	}
	return &Problem{Code: code, Args: args, say: o.printer()}
}

func (o SheetOptions) printer() *catalog.Printer {
	if o.Say != nil {
		return o.Say
	}
	return catalog.New(catalog.Chinese)
}

// explain turns a unit's or a value's error into the catalogue's words.
func (o SheetOptions) explain(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	var ve *sheet.ValueError
	if errors.As(err, &ve) {
		code := map[sheet.Problem]catalog.Code{
			sheet.NotNumber: catalog.NotNumber, sheet.Negative: catalog.Negative, sheet.NotWhole: catalog.NotWhole,
			sheet.TooLarge: catalog.TooLarge, sheet.NotRate: catalog.NotRate, sheet.OverHundred: catalog.OverHundred,
			sheet.NotDate: catalog.NotDate,
		}[ve.Problem]
		return o.problem(code, ve.Text)
	}
	var unknown *units.UnknownError
	if errors.As(err, &unknown) {
		var scope string
		if unknown.Within.Code != "" && unknown.Within.Code != units.Root {
			if o.printer().Lang() == catalog.English {
				scope = " within " + unknown.Within.Name
			} else {
				scope = "（" + unknown.Within.Name + "范围内）"
			}
		}
		if len(unknown.Suggestions) == 0 {
			return o.problem(catalog.UnitUnknown, unknown.Query, scope)
		}
		return o.problem(catalog.UnitUnknownNear, unknown.Query, scope, joinNames(o, unknown.Suggestions))
	}
	var amb *units.AmbiguousError
	if errors.As(err, &amb) {
		return o.problem(catalog.UnitAmbiguous, amb.Query, joinNames(o, amb.Candidates))
	}
	var out *units.OutsideError
	if errors.As(err, &out) {
		return o.problem(catalog.UnitOutside, out.Unit.Code+" "+out.Unit.Name, out.Within.Name)
	}
	return o.problem(catalog.FileUnreadable, err.Error())
}

// joinNames lists units as 亳州市（341600）、晋州市（130183）, or in English
// 亳州市 (341600), 晋州市 (130183).
func joinNames(o SheetOptions, ns []units.Node) string {
	var s string
	for i, n := range ns {
		if o.printer().Lang() == catalog.English {
			if i > 0 {
				s += ", "
			}
			s += fmt.Sprintf("%s (%s)", n.Name, n.Code)
			continue
		}
		if i > 0 {
			s += "、"
		}
		s += fmt.Sprintf("%s（%s）", n.Name, n.Code)
	}
	return s
}
