// Package export writes the ranking table (通报) that bureaus print and
// send: XLSX with a title, formats and print setup, and CSV for machines.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"followrank/rank"
	"followrank/wording"
)

// Columns are the table's headings, in order.
var Columns = []string{"排名", "单位", "离退休干部数", "关注人数", "关注率", "上期排名", "较上期"}

// Record is one table line as text, as the CSV and the terminal show it.
func Record(row rank.Row) []string {
	rank, prev, change := "—", "—", "—"
	if row.Rank > 0 {
		rank = strconv.Itoa(row.Rank)
	}
	if row.PrevRank > 0 {
		prev = strconv.Itoa(row.PrevRank)
	}
	if n, ok := row.Change(); ok {
		change = wording.Change(n)
	}
	name := row.Unit.Name
	if row.Stale {
		name += "*"
	}
	rate := "—"
	if row.HasData() {
		rate = wording.Percent(row.Rate())
	}
	return []string{rank, neutralise(name), strconv.FormatUint(row.Members, 10), strconv.FormatUint(row.Followers, 10), rate, prev, change}
}

// neutralise stops a spreadsheet from reading a name as a formula.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes the table as UTF-8 CSV with a byte-order mark, which
// Chinese Excel needs to open it correctly.
func WriteCSV(w io.Writer, r *rank.Ranking) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, row := range r.Rows {
		if err := cw.Write(Record(row)); err != nil {
			return err
		}
	}
	total := rank.Row{State: r.Total}
	total.Unit.Name = "合计"
	rec := Record(total)
	rec[0] = ""
	if err := cw.Write(rec); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// XLSXOptions are the choices the XLSX table offers.
type XLSXOptions struct {
	Highlight string    // unit code marked in its own colour
	Generated time.Time // when the table was made, for the footnote
}

// WriteXLSX writes the table as a one-sheet workbook ready to print on A4.
// Several rankings (cities, counties) go on one sheet each.
func WriteXLSX(w io.Writer, o XLSXOptions, rs ...*rank.Ranking) error {
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, r := range rs {
		sheet := r.Level.Chinese() + "排名"
		if i == 0 {
			err = f.SetSheetName("Sheet1", sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err != nil {
			return err
		}
		if err := fillSheet(f, sheet, styles, r, o); err != nil {
			return fmt.Errorf("write ranking table: %w", err)
		}
	}
	_, err = f.WriteTo(w)
	return err
}

func fillSheet(f *excelize.File, sheet string, styles styleSet, r *rank.Ranking, o XLSXOptions) error {
	last := string(rune('A' + len(Columns) - 1))
	var err error
	set := func(cell string, v any) {
		if err == nil {
			err = f.SetCellValue(sheet, cell, v)
		}
	}
	style := func(from, to string, id int) {
		if err == nil {
			err = f.SetCellStyle(sheet, from, to, id)
		}
	}

	// Title, merged across the table.
	set("A1", wording.Title(r))
	if err == nil {
		err = f.MergeCell(sheet, "A1", last+"1")
	}
	style("A1", last+"1", styles.title)
	if err == nil {
		err = f.SetRowHeight(sheet, 1, 36)
	}

	for i, c := range Columns {
		set(cellName(i, 2), c)
	}
	style("A2", last+"2", styles.header)

	row := 3
	for _, rr := range r.Rows {
		rec := Record(rr)
		if rr.Rank > 0 {
			set(cellName(0, row), rr.Rank)
		} else {
			set(cellName(0, row), "—")
		}
		set(cellName(1, row), rec[1])
		set(cellName(2, row), rr.Members)
		set(cellName(3, row), rr.Followers)
		if rr.HasData() {
			set(cellName(4, row), rr.Rate())
		} else {
			set(cellName(4, row), "—")
		}
		if rr.PrevRank > 0 {
			set(cellName(5, row), rr.PrevRank)
		} else {
			set(cellName(5, row), "—")
		}
		set(cellName(6, row), rec[6])
		id := styles.body
		switch {
		case rr.Unit.Code == o.Highlight && o.Highlight != "":
			id = styles.highlight
		case rr.Rank > 0 && rr.Rank <= 3:
			id = styles.top
		case rr.Rank > 0 && rr.Rank > r.Ranked-3:
			id = styles.bottom
		}
		style(cellName(0, row), cellName(len(Columns)-1, row), id)
		style(cellName(4, row), cellName(4, row), styles.rateOf(id))
		row++
	}

	// 合计 row.
	set(cellName(0, row), "")
	set(cellName(1, row), "合计")
	set(cellName(2, row), r.Total.Members)
	set(cellName(3, row), r.Total.Followers)
	set(cellName(4, row), r.Total.Rate())
	style(cellName(0, row), cellName(len(Columns)-1, row), styles.total)
	style(cellName(4, row), cellName(4, row), styles.totalRate)
	row++

	// Footnote, merged and wrapped.
	note := wording.Footnote(r, o.Generated)
	set(cellName(0, row), note)
	if err == nil {
		err = f.MergeCell(sheet, cellName(0, row), cellName(len(Columns)-1, row))
	}
	style(cellName(0, row), cellName(len(Columns)-1, row), styles.note)
	if err == nil {
		err = f.SetRowHeight(sheet, row, float64(18*(strings.Count(note, "\n")+2)))
	}
	if err != nil {
		return err
	}

	for i, wdt := range columnWidths(r) {
		col := string(rune('A' + i))
		if err := f.SetColWidth(sheet, col, col, wdt); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return printSetup(f, sheet)
}

// columnWidths fits each column to its widest cell, counting a Chinese
// character as two, as Excel's width unit does.
func columnWidths(r *rank.Ranking) []float64 {
	widths := make([]float64, len(Columns))
	measure := func(rec []string) {
		for i, c := range rec {
			widths[i] = max(widths[i], float64(DisplayWidth(c))+3)
		}
	}
	measure(Columns)
	for _, row := range r.Rows {
		measure(Record(row))
	}
	widths[0] = max(widths[0], 7)
	widths[4] = max(widths[4], 10) // 关注率 as 100.00%
	return widths
}

// DisplayWidth counts East Asian wide characters as two columns, as
// terminals and spreadsheets draw them.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// printSetup fits the table to the width of an A4 page and repeats the
// heading row on every page.
func printSetup(f *excelize.File, sheet string) error {
	size, orient := 9, "portrait" // 9 is A4 in Excel's paper size list
	fitW, fitH := 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	center := true
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Horizontally: &center}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$2", sheet), Scope: sheet})
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

type styleSet struct {
	title, header, body, highlight, top, bottom, total, totalRate, note int
	rates                                                               map[int]int
}

func (s styleSet) rateOf(id int) int { return s.rates[id] }

func newStyles(f *excelize.File) (styleSet, error) {
	var s styleSet
	var err error
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center"}
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	fill := func(colour string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}
	}
	pctFmt := "0.00%"
	body := func(fl excelize.Fill, bold bool, numFmt *string) *excelize.Style {
		return &excelize.Style{Border: border, Alignment: center, Fill: fl, Font: &excelize.Font{Bold: bold, Size: 11}, CustomNumFmt: numFmt}
	}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 15}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.header = mk(body(fill("D9E1F2"), true, nil))
	s.body = mk(body(excelize.Fill{}, false, nil))
	s.highlight = mk(body(fill("FCE4D6"), true, nil))
	s.top = mk(body(fill("E2EFDA"), false, nil))
	s.bottom = mk(body(fill("F2F2F2"), false, nil))
	s.total = mk(body(fill("D9E1F2"), true, nil))
	s.totalRate = mk(body(fill("D9E1F2"), true, &pctFmt))
	s.note = mk(&excelize.Style{Font: &excelize.Font{Size: 9, Color: "555555"}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})
	s.rates = map[int]int{
		s.body:      mk(body(excelize.Fill{}, false, &pctFmt)),
		s.highlight: mk(body(fill("FCE4D6"), true, &pctFmt)),
		s.top:       mk(body(fill("E2EFDA"), false, &pctFmt)),
		s.bottom:    mk(body(fill("F2F2F2"), false, &pctFmt)),
	}
	return s, err
}
