// Package export writes the 通报 that bureaus sign and send: the ranking
// table (Table) as XLSX with a title, formats and print setup, and as CSV
// for machines; the drafted text (Draft); and the whole document as DOCX.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"followrank/wording"
)

// neutralise stops a spreadsheet from reading a name as a formula: the CSV
// and the XLSX write every text cell through it.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes the table's headings and lines as UTF-8 CSV with a
// byte-order mark, which Chinese Excel needs to open it correctly.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	for _, l := range t.Lines {
		rec := l.Texts()
		for i := range rec {
			rec[i] = neutralise(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Texts are the line's cells as text.
func (l Line) Texts() []string {
	out := make([]string, len(l.Cells))
	for i, c := range l.Cells {
		out[i] = c.Text
	}
	return out
}

// WriteXLSX writes tables as a workbook ready to sign and print on A4, one
// sheet each (cities, counties).
func WriteXLSX(w io.Writer, tables ...Table) error {
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	names := map[string]int{}
	for i, t := range tables {
		sheet := t.Sheet
		if sheet == "" {
			sheet = sheetName(t, names)
		}
		if i == 0 {
			err = f.SetSheetName("Sheet1", sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err != nil {
			return err
		}
		if err := fillSheet(f, sheet, styles, t); err != nil {
			return fmt.Errorf("write ranking table: %w", err)
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// sheetName names a table's sheet after its level's ranking (县（市、区）排名),
// numbered when two tables would share one.
func sheetName(t Table, seen map[string]int) string {
	name := "排名"
	if i := strings.Index(t.Title, "各"); i >= 0 {
		rest := t.Title[i+len("各"):]
		if j := strings.Index(rest, "关注"); j > 0 {
			name = rest[:j] + "排名"
		}
	}
	seen[name]++
	if seen[name] > 1 {
		name = fmt.Sprintf("%s%d", name, seen[name])
	}
	return name
}

// Rows of a sheet: 附件, title, 制表单位 and 制表日期, headings.
const (
	rowAttachment = 1
	rowTitle      = 2
	rowMaker      = 3
	rowHeading    = 4
)

func fillSheet(f *excelize.File, sheet string, styles styleSet, t Table) error {
	cols := len(t.Columns)
	last := column(cols - 1)
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
	merge := func(from, to string) {
		if err == nil {
			err = f.MergeCell(sheet, from, to)
		}
	}
	height := func(row int, h float64) {
		if err == nil {
			err = f.SetRowHeight(sheet, row, h)
		}
	}

	if t.Attachment != "" {
		set("A1", t.Attachment)
		style("A1", "A1", styles.attachment)
	}
	height(rowAttachment, 24)
	// The title breaks before its date, never inside it.
	title := strings.Replace(t.Title, "（截至", "\n（截至", 1)
	set(fmt.Sprintf("A%d", rowTitle), title)
	merge(fmt.Sprintf("A%d", rowTitle), fmt.Sprintf("%s%d", last, rowTitle))
	style(fmt.Sprintf("A%d", rowTitle), fmt.Sprintf("%s%d", last, rowTitle), styles.title)
	height(rowTitle, 54)

	half := cols / 2
	switch {
	case t.About != "":
		set(cellName(0, rowMaker), t.About)
		merge(cellName(0, rowMaker), cellName(cols-1, rowMaker))
		style(cellName(0, rowMaker), cellName(cols-1, rowMaker), styles.makerRight)
	default:
		if t.Issuer != "" {
			set(cellName(0, rowMaker), "制表单位："+t.Issuer)
		}
		merge(cellName(0, rowMaker), cellName(half-1, rowMaker))
		style(cellName(0, rowMaker), cellName(half-1, rowMaker), styles.makerLeft)
		set(cellName(half, rowMaker), "制表日期："+wording.Date(t.Made))
		merge(cellName(half, rowMaker), cellName(cols-1, rowMaker))
		style(cellName(half, rowMaker), cellName(cols-1, rowMaker), styles.makerRight)
	}
	height(rowMaker, 22)

	for i, c := range t.Columns {
		set(cellName(i, rowHeading), c)
	}
	style(cellName(0, rowHeading), cellName(cols-1, rowHeading), styles.header)

	row := rowHeading + 1
	for _, l := range t.Lines {
		id := styles.line[l.Kind]
		for i, c := range l.Cells {
			if c.Value != nil {
				set(cellName(i, row), c.Value)
			} else {
				set(cellName(i, row), neutralise(c.Text))
			}
			switch {
			case c.Rate:
				style(cellName(i, row), cellName(i, row), styles.rate[l.Kind])
			case slices.Contains(t.Prose, t.Columns[i]):
				style(cellName(i, row), cellName(i, row), styles.prose)
			default:
				style(cellName(i, row), cellName(i, row), id)
			}
		}
		row++
	}

	for _, n := range t.Notes {
		set(cellName(0, row), n)
		merge(cellName(0, row), cellName(cols-1, row))
		style(cellName(0, row), cellName(cols-1, row), styles.note)
		height(row, float64(16*max(1, (DisplayWidth(n)+sumWidths(t)-1)/sumWidths(t))))
		row++
	}
	if err != nil {
		return err
	}

	for i, wdt := range columnWidths(t) {
		col := column(i)
		if err := f.SetColWidth(sheet, col, col, wdt); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: rowHeading, TopLeftCell: cellName(0, rowHeading+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return printSetup(f, sheet, t.Landscape)
}

// columnWidths fits each column to its widest cell, counting a Chinese
// character as two, as Excel's width unit does, up to ProseWidth; columns
// of sentences are ProseWidth wide.
func columnWidths(t Table) []float64 {
	widths := make([]float64, len(t.Columns))
	measure := func(rec []string) {
		for i, c := range rec {
			widths[i] = max(widths[i], min(float64(DisplayWidth(c))+3, ProseWidth))
		}
	}
	measure(t.Columns)
	for _, l := range t.Lines {
		measure(l.Texts())
	}
	for i, c := range t.Columns {
		switch c {
		case "排名":
			widths[i] = max(widths[i], 7)
		case "关注率":
			widths[i] = max(widths[i], 10) // 100.00%
		}
		if slices.Contains(t.Prose, c) {
			widths[i] = ProseWidth
		}
	}
	return widths
}

// sumWidths is the table's width in characters, for wrapping notes.
func sumWidths(t Table) int {
	n := 0
	for _, w := range columnWidths(t) {
		n += int(w)
	}
	return max(n, 1)
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

// printSetup fits the table to the width of an A4 page, upright or
// across, repeats the heading row on every page and numbers the pages
// (第 1 页 共 3 页).
func printSetup(f *excelize.File, sheet string, landscape bool) error {
	size, orient := 9, "portrait" // 9 is A4 in Excel's paper size list
	if landscape {
		orient = "landscape"
	}
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
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C&\"宋体\"&10第 &P 页 共 &N 页"}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, rowHeading, rowHeading), Scope: sheet})
}

// column is the letters of the column at index i: A for 0.
func column(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

type styleSet struct {
	attachment, title, makerLeft, makerRight, header, note, prose int
	line, rate                                                    map[LineKind]int
}

// Fonts an office has: 宋体 for the table, 黑体 for the title and the 附件
// label. Spreadsheets name one font per style; WPS and Excel on Chinese
// Windows have both, and LibreOffice maps them to the CJK font it has.
const (
	fontText  = "宋体"
	fontTitle = "黑体"
)

func newStyles(f *excelize.File) (styleSet, error) {
	var s styleSet
	var err error
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	fill := func(colour string) excelize.Fill {
		if colour == "" {
			return excelize.Fill{}
		}
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}}
	}
	pctFmt := "0.00%"
	cell := func(colour string, bold bool, numFmt *string) *excelize.Style {
		return &excelize.Style{Border: border, Alignment: center, Fill: fill(colour), Font: &excelize.Font{Bold: bold, Size: 11, Family: fontText}, CustomNumFmt: numFmt}
	}
	s.attachment = mk(&excelize.Style{Font: &excelize.Font{Size: 14, Family: fontTitle}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}})
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: fontTitle}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.makerLeft = mk(&excelize.Style{Font: &excelize.Font{Size: 11, Family: fontText}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}})
	s.makerRight = mk(&excelize.Style{Font: &excelize.Font{Size: 11, Family: fontText}, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	s.header = mk(cell("D9E1F2", true, nil))
	s.prose = mk(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}, Font: &excelize.Font{Size: 11, Family: fontText}})
	s.note = mk(&excelize.Style{Font: &excelize.Font{Size: 9, Color: "555555", Family: fontText}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})
	colours := map[LineKind]string{Body: "", Top: "E2EFDA", Bottom: "F2F2F2", Highlight: "FCE4D6", Total: "D9E1F2", Reported: "D9E1F2"}
	s.line, s.rate = map[LineKind]int{}, map[LineKind]int{}
	for kind, colour := range colours {
		bold := kind == Highlight || kind == Total || kind == Reported
		s.line[kind] = mk(cell(colour, bold, nil))
		s.rate[kind] = mk(cell(colour, bold, &pctFmt))
	}
	return s, err
}
