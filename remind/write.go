package remind

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

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
// under it, the headings and the notes, as export writes the ranking table,
// printed across an A4 page.
func WriteXLSX(w io.Writer, l *List) error {
	findings, reminders := Findings(l), Reminders(l)
	findings.Sheet, reminders.Sheet = SheetFindings, SheetReminders
	for _, t := range []*export.Table{&findings, &reminders} {
		t.About, t.Prose, t.Landscape = l.about(), []string{"情况", "催报通知"}, true
	}
	return export.WriteXLSX(w, findings, reminders)
}
