package export

import (
	"fmt"
	"strconv"
	"time"

	"followrank/model"
	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

// Table is the ranking table as a bureau signs and sends it, the one
// layout the XLSX, the DOCX and the CSV are written from: the 附件 label,
// the title, who made it and when, the units' lines, 合计 (the sum of the
// lines shown) and, when the scope reported figures of its own that differ,
// its report on a line of its own, then the notes.
type Table struct {
	Attachment string // 附件; empty for none
	Title      string
	Issuer     string    // 制表单位; empty when not configured
	Made       time.Time // 制表日期
	Columns    []string
	Lines      []Line
	Notes      []string

	// Sheet names the table's sheet in a workbook; empty to name it after
	// the ranking (县（市、区）排名).
	Sheet string
	// About is the line under the title in place of 制表单位 and 制表日期
	// (the 催报 list's dates, target and deadline); empty for those.
	About string
	// Prose are the columns of sentences (情况, 催报通知): left-aligned,
	// wrapping, ProseWidth characters wide.
	Prose []string
	// Landscape prints the table across the page.
	Landscape bool
}

// ProseWidth is how wide a column of sentences is, and the widest any
// column is made, in characters; longer text wraps.
const ProseWidth = 60

// Line is one line of the table.
type Line struct {
	Kind  LineKind
	Unit  string // the unit's code; empty for 合计 and 上报
	Cells []Cell
}

// LineKind says how a line is marked.
type LineKind int

const (
	Body      LineKind = iota
	Top                // among the first three
	Bottom             // among the last three
	Highlight          // the unit the table is for
	Total              // 合计: the sum of the lines above
	Reported           // the scope's own report, when it differs from 合计
)

// Cell is a cell's text and, for a spreadsheet, its number: a count, or a
// rate (a fraction shown as a percentage); Value is nil for text.
type Cell struct {
	Text  string
	Value any
	Rate  bool
}

// TableOptions are the choices a table offers.
type TableOptions struct {
	Highlight  string      // unit code marked in its own colour
	Issuer     string      // 制表单位, e.g. 安徽省委老干部局
	Made       time.Time   // 制表日期 and the footnote's generation time
	Attachment string      // the label above the title, e.g. 附件; empty for none
	Tree       *units.Tree // names the city of each county in a province's table; nil for no 所属市 column
}

// Tabulate lays out a ranking as the table.
func Tabulate(r *rank.Ranking, o TableOptions) Table {
	cmp := wording.Comparison(r.Date, r.Compare)
	withCity := o.Tree != nil && r.Level == units.County && (r.Within.Level == units.Province || r.Within.Level == units.Country)
	t := Table{Attachment: o.Attachment, Title: wording.Title(r), Issuer: o.Issuer, Made: o.Made}
	t.Columns = []string{"排名"}
	if withCity {
		t.Columns = append(t.Columns, "所属市")
	}
	t.Columns = append(t.Columns, "单位", "离退休干部数", "关注人数", "关注率")
	if !r.Compare.IsZero() {
		t.Columns = append(t.Columns, cmp.Short+"排名", cmp.Label)
	}
	t.Columns = append(t.Columns, "备注")

	for _, row := range r.Rows {
		l := Line{Kind: Body, Unit: row.Unit.Code}
		switch {
		case row.Unit.Code == o.Highlight && o.Highlight != "":
			l.Kind = Highlight
		case row.Rank > 0 && row.Rank <= 3:
			l.Kind = Top
		case row.Rank > 0 && row.Rank > r.Ranked-3:
			l.Kind = Bottom
		}
		l.Cells = append(l.Cells, rankCell(row.Rank))
		if withCity {
			city := ""
			if p, ok := o.Tree.Get(row.Unit.Parent); ok {
				city = p.Name
			}
			l.Cells = append(l.Cells, Cell{Text: city})
		}
		name := row.Unit.Name
		if row.Stale {
			name += "*"
		}
		l.Cells = append(l.Cells, Cell{Text: name}, count(row.Members), count(row.Followers), rateCell(row.State))
		if !r.Compare.IsZero() {
			l.Cells = append(l.Cells, rankCell(row.PrevRank), Cell{Text: change(row)})
		}
		l.Cells = append(l.Cells, Cell{Text: Remark(r, row)})
		t.Lines = append(t.Lines, l)
	}
	sum := Sum(r.Rows)
	t.Lines = append(t.Lines, summary(Total, "合计", sum, len(t.Columns), withCity, r))
	if r.Total.Reported && (r.Total.Members != sum.Members || r.Total.Followers != sum.Followers) {
		t.Lines = append(t.Lines, summary(Reported, r.Within.Whole()+"上报", r.Total, len(t.Columns), withCity, r))
	}
	t.Notes = wording.Notes(r, o.Made, withCity)
	return t
}

// Sum is 合计: the figures of the rows, each counted once. A unit shown
// below another shown unit (a school under its 教育局, both ranked at the
// unit level) is in its parent's figures already and is not added again.
func Sum(rows []rank.Row) rank.State {
	parent := map[string]string{}
	for _, row := range rows {
		parent[row.Unit.Code] = row.Unit.Parent
	}
	var s rank.State
	for _, row := range rows {
		nested := false
		for p, seen := row.Unit.Parent, 0; p != "" && seen < len(rows); p, seen = parent[p], seen+1 {
			if _, shown := parent[p]; shown {
				nested = true
				break
			}
		}
		if !nested {
			s.Members += row.Members
			s.Followers += row.Followers
		}
	}
	return s
}

// summary is the 合计 or 上报 line: the name in the unit column, counts and
// rate, the other cells empty.
func summary(kind LineKind, name string, s rank.State, columns int, withCity bool, r *rank.Ranking) Line {
	l := Line{Kind: kind, Cells: make([]Cell, columns)}
	i := 1
	if withCity {
		i = 2
	}
	l.Cells[i] = Cell{Text: name}
	l.Cells[i+1], l.Cells[i+2], l.Cells[i+3] = count(s.Members), count(s.Followers), rateCell(s)
	if kind == Reported {
		l.Cells[columns-1] = Cell{Text: r.Within.Name + "自行报送的数据"}
	}
	return l
}

func rankCell(n int) Cell {
	if n == 0 {
		return Cell{Text: "—"}
	}
	return Cell{Text: strconv.Itoa(n), Value: n}
}

func count(n uint64) Cell { return Cell{Text: strconv.FormatUint(n, 10), Value: n} }

func rateCell(s rank.State) Cell {
	if !s.HasData() {
		return Cell{Text: "—"}
	}
	return Cell{Text: wording.Percent(s.Rate()), Value: s.Rate(), Rate: true}
}

// change words a row's rank change: ↑3, ↓1, 持平; 无上期 for a unit ranked
// now but not then; — for a unit not ranked now.
func change(row rank.Row) string {
	if n, ok := row.Change(); ok {
		return wording.Change(n)
	}
	if row.Rank > 0 {
		return "无上期"
	}
	return "—"
}

// Remark is a row's 备注: 未报送 for a unit with no figures; 数据沿用2024年3月
// for figures carried forward from an earlier month; 超过45天未更新 for
// figures older than the staleness window.
func Remark(r *rank.Ranking, row rank.Row) string {
	if !row.HasData() {
		return "未报送"
	}
	var parts []string
	if !row.ReportDate.IsZero() && row.ReportDate.Before(model.MonthStart(r.Date)) {
		parts = append(parts, "数据沿用"+wording.Month(row.ReportDate))
	}
	if row.Stale {
		parts = append(parts, fmt.Sprintf("*超过%d天未更新", r.StaleDays))
	}
	return joinCN(parts)
}

func joinCN(parts []string) string {
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += "；"
		}
		s += p
	}
	return s
}
