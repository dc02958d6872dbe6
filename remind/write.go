package remind

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"followrank/export"
	"followrank/model"
	"followrank/wording"
)

// Notes say what the kinds mean, under the list and its sheets.
func (l *List) Notes() []string {
	notes := []string{
		fmt.Sprintf("注：1. 未报送：%s至%s没有报送数据；此前报送过的，沿用上次报送的数据参加排名。", wording.MonthDay(model.MonthStart(l.Date)), wording.MonthDay(l.Date)),
		fmt.Sprintf("2. 数据过期：最近一次报送早于统计日%d天以上。", l.StaleDays),
		"3. 未达标：关注率低于省定目标；还需关注人数 = 离退休干部数 × 省定目标（向上取整）− 关注人数。",
	}
	if l.Compare.IsZero() {
		return append(notes, "4. 未与上期比较，不列排名下降、关注率下降。")
	}
	return append(notes, fmt.Sprintf("4. 排名下降、关注率下降：与%s相比；关注率下降只列排名未下降的单位。", wording.Date(l.Compare)))
}

// about is the line under the title: the comparison, the target and the
// due day.
func (l *List) about() string {
	var parts []string
	if !l.Compare.IsZero() {
		parts = append(parts, "对比日期："+wording.Date(l.Compare))
	}
	if l.Target > 0 {
		parts = append(parts, "省定目标："+wording.Target(l.Target))
	}
	parts = append(parts, "报送截止："+wording.Date(l.Due))
	return strings.Join(parts, "　")
}

// WriteText writes the list for a terminal: the title, then the units by
// kind with their counts, then the drafted reminders and the notes.
func WriteText(w io.Writer, l *List) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", l.Title(), l.about())
	fmt.Fprintf(&b, "共%d个%s，需催报%d个。\n", l.Checked, l.Level.Chinese(), len(l.Items))
	width := 0
	for _, it := range l.Items {
		width = max(width, export.DisplayWidth(it.Unit.Name))
	}
	for _, k := range Kinds {
		items := l.Of(k)
		if len(items) == 0 {
			fmt.Fprintf(&b, "\n%s：无\n", k)
			continue
		}
		fmt.Fprintf(&b, "\n%s（%d个）\n", k, len(items))
		for _, it := range items {
			for _, f := range it.Findings {
				if f.Kind == k {
					fmt.Fprintf(&b, "  %s%s  %s\n", it.Unit.Name, strings.Repeat(" ", width-export.DisplayWidth(it.Unit.Name)), f.Detail)
				}
			}
		}
	}
	if len(l.Items) > 0 {
		fmt.Fprintf(&b, "\n催报通知（%d条）\n", len(l.Items))
		for _, it := range l.Items {
			fmt.Fprintf(&b, "%s\n", it.Reminder)
		}
	}
	b.WriteString("\n")
	for _, n := range l.Notes() {
		b.WriteString(n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Findings is the list as a table, a line for each finding, kind by kind.
func Findings(l *List) export.Table {
	t := export.Table{Title: l.Title(), Columns: []string{"序号", "类别", "单位", "排名", "关注率", "情况"}, Notes: l.Notes()}
	n := 0
	for _, k := range Kinds {
		for _, it := range l.Of(k) {
			for _, f := range it.Findings {
				if f.Kind != k {
					continue
				}
				n++
				t.Lines = append(t.Lines, export.Line{Unit: it.Unit.Code, Cells: []export.Cell{
					number(n), {Text: k.String()}, {Text: it.Unit.Name}, rankCell(it.Rank), rateCell(it.HasData(), it.Rate()), {Text: f.Detail},
				}})
			}
		}
	}
	return t
}

// Reminders is the list as a table, a line for each unit to remind: its
// figures, what it is chased about and the drafted reminder. The CSV is
// this table.
func Reminders(l *List) export.Table {
	t := export.Table{Title: l.Title(), Notes: l.Notes(), Columns: []string{
		"序号", "单位代码", "单位", "离退休干部数", "关注人数", "关注率", "排名", "上期排名", "上期关注率",
		"省定目标", "还需关注人数", "最近报送日期", "问题", "催报通知",
	}}
	for i, it := range l.Items {
		var kinds []string
		for _, f := range it.Findings {
			kinds = append(kinds, f.Kind.String())
		}
		last := ""
		if it.HasData() && !it.ReportDate.IsZero() {
			last = it.ReportDate.Format(time.DateOnly)
		}
		target := export.Cell{}
		if it.Target > 0 {
			target = export.Cell{Text: wording.Target(it.Target), Value: it.Target, Rate: true}
		}
		t.Lines = append(t.Lines, export.Line{Unit: it.Unit.Code, Cells: []export.Cell{
			number(i + 1), {Text: it.Unit.Code}, {Text: it.Unit.Name},
			count(it.HasData(), it.Members), count(it.HasData(), it.Followers), rateCell(it.HasData(), it.Rate()),
			rankCell(it.Rank), rankCell(it.PrevRank), rateCell(it.Prev.HasData(), it.Prev.Rate()),
			target, count(it.Needed > 0, it.Needed), {Text: last}, {Text: strings.Join(kinds, "、")}, {Text: it.Reminder},
		}})
	}
	return t
}

func number(n int) export.Cell { return export.Cell{Text: strconv.Itoa(n), Value: n} }

func rankCell(n int) export.Cell {
	if n == 0 {
		return export.Cell{Text: "—"}
	}
	return number(n)
}

func count(ok bool, n uint64) export.Cell {
	if !ok {
		return export.Cell{}
	}
	return export.Cell{Text: strconv.FormatUint(n, 10), Value: n}
}

func rateCell(ok bool, rate float64) export.Cell {
	if !ok {
		return export.Cell{Text: "—"}
	}
	return export.Cell{Text: wording.Percent(rate), Value: rate, Rate: true}
}

// WriteCSV writes the reminders table (Reminders) as UTF-8 CSV with a
// byte-order mark, as export writes its tables.
func WriteCSV(w io.Writer, l *List) error { return export.WriteCSV(w, Reminders(l)) }

// Sheets of the workbook.
const (
	SheetFindings  = "催报清单"
	SheetReminders = "催报通知"
)

// WriteXLSX writes the list as a workbook of two sheets: the findings
// (催报清单) and the reminders (催报通知), each with the title, the line
// under it, the headings, and the notes, in the fonts and colours of the
// ranking table, ready to print on A4.
func WriteXLSX(w io.Writer, l *List) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, s := range []struct {
		name  string
		table export.Table
	}{{SheetFindings, Findings(l)}, {SheetReminders, Reminders(l)}} {
		if i == 0 {
			err = f.SetSheetName("Sheet1", s.name)
		} else {
			_, err = f.NewSheet(s.name)
		}
		if err != nil {
			return err
		}
		if err := fillSheet(f, s.name, st, s.table, l.about()); err != nil {
			return fmt.Errorf("write %s: %w", s.name, err)
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// Rows of a sheet: the title, the line under it, the headings.
const (
	rowTitle   = 1
	rowAbout   = 2
	rowHeading = 3
)

// wide are the columns of sentences, which wrap and are read from the left.
var wide = map[string]bool{"情况": true, "催报通知": true}

// maxWidth is the widest a column is made, in characters; longer text wraps.
const maxWidth = 60

func fillSheet(f *excelize.File, sheet string, st styles, t export.Table, about string) error {
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
	cols := len(t.Columns)
	row := func(r int) (string, string) { return cellName(0, r), cellName(cols-1, r) }

	a, b := row(rowTitle)
	set(a, t.Title)
	merge(a, b)
	style(a, b, st.title)
	a, b = row(rowAbout)
	set(a, about)
	merge(a, b)
	style(a, b, st.about)
	for i, c := range t.Columns {
		set(cellName(i, rowHeading), c)
	}
	a, b = row(rowHeading)
	style(a, b, st.header)

	r := rowHeading + 1
	for _, l := range t.Lines {
		for i, c := range l.Cells {
			cell := cellName(i, r)
			switch {
			case c.Value != nil:
				set(cell, c.Value)
			default:
				if err == nil {
					err = f.SetCellStr(sheet, cell, c.Text) // text, never a formula
				}
			}
			switch {
			case c.Rate:
				style(cell, cell, st.rate)
			case wide[t.Columns[i]]:
				style(cell, cell, st.text)
			default:
				style(cell, cell, st.body)
			}
		}
		r++
	}
	widths := columnWidths(t)
	total := 0.0
	for _, w := range widths {
		total += w
	}
	for _, n := range t.Notes {
		a, b := row(r)
		set(a, n)
		merge(a, b)
		style(a, b, st.note)
		lines := max(1, (export.DisplayWidth(n)+int(total)-1)/int(total))
		if err == nil {
			err = f.SetRowHeight(sheet, r, float64(16*lines))
		}
		r++
	}
	if err == nil {
		err = f.SetRowHeight(sheet, rowTitle, 30)
	}
	if err != nil {
		return err
	}
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: rowHeading, TopLeftCell: cellName(0, rowHeading+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return printSetup(f, sheet)
}

// columnWidths fits each column to its widest cell, a Chinese character
// counting two, up to maxWidth; the sentences' columns are maxWidth wide.
func columnWidths(t export.Table) []float64 {
	widths := make([]float64, len(t.Columns))
	measure := func(i int, s string) { widths[i] = max(widths[i], min(float64(export.DisplayWidth(s))+3, maxWidth)) }
	for i, c := range t.Columns {
		measure(i, c)
		if wide[c] {
			widths[i] = maxWidth
		}
	}
	for _, l := range t.Lines {
		for i, c := range l.Cells {
			measure(i, c.Text)
		}
	}
	return widths
}

// printSetup prints the sheet on A4 in landscape, as wide as the page,
// with the headings on every page and the pages numbered.
func printSetup(f *excelize.File, sheet string) error {
	size, orient := 9, "landscape" // 9 is A4
	fitW, fitH := 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&C&\"宋体\"&10第 &P 页 共 &N 页"}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, rowHeading, rowHeading), Scope: sheet})
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

type styles struct{ title, about, header, body, text, rate, note int }

// The ranking table's fonts: 宋体 for text, 黑体 for the title.
const (
	fontText  = "宋体"
	fontTitle = "黑体"
)

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	border := []excelize.Border{
		{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1},
	}
	font := &excelize.Font{Size: 11, Family: fontText}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	pct := "0.00%"
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: fontTitle}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.about = mk(&excelize.Style{Font: font, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	s.header = mk(&excelize.Style{Border: border, Alignment: center, Font: &excelize.Font{Bold: true, Size: 11, Family: fontText},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}})
	s.body = mk(&excelize.Style{Border: border, Alignment: center, Font: font})
	s.text = mk(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}, Font: font})
	s.rate = mk(&excelize.Style{Border: border, Alignment: center, Font: font, CustomNumFmt: &pct})
	s.note = mk(&excelize.Style{Font: &excelize.Font{Size: 9, Color: "555555", Family: fontText}, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true}})
	return s, err
}
