package ingest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"followrank/ingest"
)

var writeBadCorpus = flag.Bool("badcorpus", false, "rewrite the bad-input corpus in testdata/bad/")

const (
	heading = "地区,离退休干部数,关注人数,关注率\n"
	title   = "亳州市各县区关注情况(截至2024年6月30日)\n"
	good    = "谯城区,2618,1665,63.60%\n"
)

// badInputs are the files of testdata/bad and what must become of each: a
// fatal error containing fatal, or the counts of rows accepted and rejected
// with a reason containing reason. Nothing may panic, and nothing of a
// fatal file may be stored.
var badInputs = map[string]struct {
	fatal              string
	accepted, rejected int
	reason             string
}{
	"utf16le-unicode-text.txt":     {accepted: 1},
	"big5.csv":                     {fatal: "read as GB18030/GBK"},
	"latin1.csv":                   {fatal: "no heading row"},
	"gbk-with-utf8-bom.csv":        {fatal: "no heading row"},
	"mixed-utf8-and-gbk.csv":       {fatal: "no heading row"},
	"empty.csv":                    {fatal: "empty"},
	"bom-only.csv":                 {fatal: "no heading row"},
	"whitespace-only.csv":          {fatal: "no heading row"},
	"heading-only.csv":             {fatal: "no figure rows"},
	"title-only.csv":               {fatal: "no heading row"},
	"only-totals.csv":              {fatal: "no figure rows"},
	"no-followers-column.csv":      {fatal: "no heading row"},
	"duplicated-heading.csv":       {fatal: "column followers appears twice"},
	"no-date.csv":                  {fatal: "no date"},
	"ragged-rows.csv":              {accepted: 1, rejected: 2, reason: "missing"},
	"unbalanced-quotes.csv":        {accepted: 1, rejected: 1, reason: "not a number"},
	"nul-bytes.csv":                {fatal: "binary file"},
	"png-named-csv.csv":            {fatal: "binary file"},
	"pdf-named-xlsx.xlsx":          {fatal: "PDF"},
	"excel-errors.csv":             {accepted: 1, rejected: 2, reason: `"#DIV/0!" is not a number`},
	"negative.csv":                 {accepted: 1, rejected: 2, reason: "negative"},
	"followers-over-members.csv":   {accepted: 1, rejected: 1, reason: "120 > members 100"},
	"members-zero.csv":             {accepted: 1, rejected: 1, reason: "no retired cadres"},
	"decimals.csv":                 {accepted: 1, rejected: 1, reason: "not a whole number"},
	"huge-numbers.csv":             {accepted: 1, rejected: 1, reason: "implausibly large"},
	"rate-over-100.csv":            {accepted: 2},
	"mixed-dates.csv":              {accepted: 4, rejected: 2, reason: "not a date"},
	"unknown-units.csv":            {accepted: 1, rejected: 2, reason: "did you mean: 蒙城县"},
	"duplicate-rows.csv":           {accepted: 1, rejected: 1, reason: "appears twice"},
	"very-long-name.csv":           {accepted: 1, rejected: 1, reason: "characters long"},
	"huge-cell.csv":                {accepted: 1, rejected: 1, reason: "characters long"},
	"sql-injection-name.csv":       {accepted: 1, rejected: 1, reason: "unknown unit"},
	"html-injection-name.csv":      {accepted: 1, rejected: 1, reason: "unknown unit"},
	"csv-formula-injection.csv":    {accepted: 1, rejected: 2, reason: "unknown unit"},
	"formula-as-number.csv":        {accepted: 1, rejected: 1, reason: `"=1+1" is not a number`},
	"truncated.xlsx":               {fatal: "cannot read the workbook"},
	"empty-workbook.xlsx":          {fatal: "the workbook has no cells"},
	"formulas-without-values.xlsx": {accepted: 1, rejected: 1, reason: "missing"},
	"excel-error-cells.xlsx":       {accepted: 1, rejected: 1, reason: "not a number"},
	"zip-bomb.xlsx":                {fatal: "cannot read the workbook"},
	"xlsx-named-csv.csv":           {accepted: 1},
	"old-excel.xls":                {fatal: "Excel 97-2003"},
	"hidden-sheet-only.xlsx":       {fatal: "the hidden sheet 数据 is not read unless named with --sheet"},
	"semicolons.csv":               {accepted: 1},
	"tabs.txt":                     {accepted: 1},
	"heading-in-row-40.csv":        {fatal: "no heading row"},
}

func TestBadInputCorpus(t *testing.T) {
	if *writeBadCorpus {
		writeCorpus(t)
	}
	entries, err := os.ReadDir(filepath.Join("testdata", "bad"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 40 {
		t.Fatalf("the corpus has %d files, want at least 40", len(entries))
	}
	tree := china(t)
	for _, e := range entries {
		want, ok := badInputs[e.Name()]
		if !ok {
			t.Errorf("testdata/bad/%s has no expectation in badInputs", e.Name())
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			c := &collect{}
			rep, err := ingest.ImportSheet(context.Background(), filepath.Join("testdata", "bad", e.Name()), ingest.SheetOptions{Tree: tree, Within: "341600", Say: en}, c)
			if want.fatal != "" {
				if err == nil || !strings.Contains(err.Error(), want.fatal) {
					t.Fatalf("err = %v, want a fatal error saying %q", err, want.fatal)
				}
				if len(c.figs) > 0 {
					t.Fatalf("%d figures stored from a file that could not be read", len(c.figs))
				}
				return
			}
			if err != nil {
				t.Fatalf("fatal error %v, want rows accepted and rejected", err)
			}
			var reasons []string
			for _, r := range rep.Rejections {
				reasons = append(reasons, r.String())
				if len(r.String()) > 1000 {
					t.Errorf("a rejection message is %d bytes long", len(r.String()))
				}
			}
			if rep.Accepted != want.accepted || rep.Rejected != want.rejected {
				t.Fatalf("%d accepted, %d rejected (%v); want %d and %d", rep.Accepted, rep.Rejected, reasons, want.accepted, want.rejected)
			}
			if want.reason != "" && !strings.Contains(strings.Join(reasons, "\n"), want.reason) {
				t.Errorf("rejections %v, want one saying %q", reasons, want.reason)
			}
			for _, f := range c.figs {
				if f.Members == 0 || f.Followers > f.Members {
					t.Errorf("stored an impossible figure %+v", f)
				}
			}
		})
	}
	for name := range badInputs {
		if _, err := os.Stat(filepath.Join("testdata", "bad", name)); err != nil {
			t.Errorf("badInputs names %s, which is not in testdata/bad (run with -badcorpus)", name)
		}
	}
}

// writeCorpus makes the bad-input files, each the way it arrives in practice.
func writeCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "bad")
	put := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := func(name, s string) { put(name, []byte(s)) }
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(title + heading + good)
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(title+heading+good, ",", "\t"))
	big5, _ := traditionalchinese.Big5.NewEncoder().String("亳州市各縣區關注情況\n地區,離退休幹部數,關注人數\n譙城區,2618,1665\n")
	put("utf16le-unicode-text.txt", []byte(utf16))
	put("big5.csv", []byte(big5))
	put("latin1.csv", []byte("Bez\xe9ichnung,Mitglieder\nM\xfcnchen,100\n"))
	put("gbk-with-utf8-bom.csv", append([]byte{0xEF, 0xBB, 0xBF}, gbk...))
	put("mixed-utf8-and-gbk.csv", append([]byte(title+heading), []byte(gbk)[len(gbk)-20:]...))
	text("empty.csv", "")
	put("bom-only.csv", []byte{0xEF, 0xBB, 0xBF})
	text("whitespace-only.csv", "  \n\t\n   \n")
	text("heading-only.csv", title+heading)
	text("title-only.csv", title)
	text("only-totals.csv", title+heading+"合计,100,50,50%\n全市,100,50,50%\n")
	text("no-followers-column.csv", title+"地区,离退休干部数,关注率\n谯城区,2618,63.60%\n")
	text("duplicated-heading.csv", title+"地区,离退休干部数,关注人数,已关注人数\n谯城区,2618,1665,1665\n")
	text("no-date.csv", heading+good)
	text("ragged-rows.csv", title+heading+good+"涡阳县,1789\n利辛县\n")
	text("unbalanced-quotes.csv", title+heading+good+"涡阳县,\"1789,859,48%\n")
	put("nul-bytes.csv", []byte(title+heading+"谯城区,26\x0018,1665,\n"))
	put("png-named-csv.csv", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"))
	text("pdf-named-xlsx.xlsx", "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")
	text("excel-errors.csv", title+heading+good+"涡阳县,#DIV/0!,859,#DIV/0!\n利辛县,967,#N/A,#VALUE!\n")
	text("negative.csv", title+heading+good+"涡阳县,-1789,859,\n利辛县,967,-5,\n")
	text("followers-over-members.csv", title+heading+good+"涡阳县,100,120,120%\n")
	text("members-zero.csv", title+heading+good+"涡阳县,0,0,\n")
	text("decimals.csv", title+heading+good+"涡阳县,1789.5,859,\n")
	text("huge-numbers.csv", title+heading+good+"涡阳县,99999999999999,859,\n")
	text("rate-over-100.csv", title+heading+good+"涡阳县,1789,859,480%\n")
	text("mixed-dates.csv", "地区,日期,离退休干部数,关注人数\n谯城区,2024/6/30,2618,1665\n涡阳县,45473,1789,859\n利辛县,2024年6月30日,967,804\n蒙城县,20240630,3325,3195\n谯城区,yesterday,2618,1665\n涡阳县,2024-02-30,1789,859\n")
	text("unknown-units.csv", title+heading+good+"蒙成县,3325,3195,\n火星县,10,5,\n")
	text("duplicate-rows.csv", title+heading+good+good)
	text("very-long-name.csv", title+heading+good+strings.Repeat("县", 5000)+",10,5,\n")
	text("huge-cell.csv", title+heading+good+strings.Repeat("x", 1<<20)+",10,5,\n")
	text("sql-injection-name.csv", title+heading+good+"'; DROP TABLE unit_figures; --,10,5,\n")
	text("html-injection-name.csv", title+heading+good+"<script>alert(1)</script>,10,5,\n")
	text("csv-formula-injection.csv", title+heading+good+"\"=cmd|' /C calc'!A0\",10,5,\n@SUM(1+1)*cmd|' /C calc'!A0,10,5,\n")
	text("formula-as-number.csv", title+heading+good+"涡阳县,=1+1,859,\n")
	text("semicolons.csv", title+strings.ReplaceAll(heading+good, ",", ";"))
	text("tabs.txt", title+strings.ReplaceAll(heading+good, ",", "\t"))
	text("heading-in-row-40.csv", strings.Repeat("说明\n", 40)+heading+good)
	old, _ := os.ReadFile(filepath.Join("testdata", "old-excel.xls"))
	put("old-excel.xls", old)

	workbook := func(name string, fill func(f *excelize.File)) []byte {
		f := excelize.NewFile()
		fill(f)
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		put(name, buf.Bytes())
		return buf.Bytes()
	}
	rows := func(f *excelize.File, sheet string, rs ...[]any) {
		for i, r := range rs {
			f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &r)
		}
	}
	whole := workbook("xlsx-named-csv.csv", func(f *excelize.File) {
		rows(f, "Sheet1", []any{"截至2024年6月30日"}, []any{"地区", "离退休干部数", "关注人数"}, []any{"谯城区", 2618, 1665})
	})
	put("truncated.xlsx", whole[:len(whole)*2/3])
	workbook("empty-workbook.xlsx", func(f *excelize.File) {})
	workbook("formulas-without-values.xlsx", func(f *excelize.File) {
		rows(f, "Sheet1", []any{"截至2024年6月30日"}, []any{"地区", "离退休干部数", "关注人数"}, []any{"谯城区", 2618, 1665}, []any{"涡阳县", nil, 859})
		f.SetCellFormula("Sheet1", "B4", "SUM(X1:X9)")
	})
	workbook("excel-error-cells.xlsx", func(f *excelize.File) {
		rows(f, "Sheet1", []any{"截至2024年6月30日"}, []any{"地区", "离退休干部数", "关注人数"}, []any{"谯城区", 2618, 1665}, []any{"涡阳县", "#DIV/0!", 859})
	})
	workbook("hidden-sheet-only.xlsx", func(f *excelize.File) {
		f.NewSheet("数据")
		rows(f, "数据", []any{"截至2024年6月30日"}, []any{"地区", "离退休干部数", "关注人数"}, []any{"谯城区", 2618, 1665})
		f.SetSheetVisible("数据", false)
	})

	// A zip bomb: a worksheet that unpacks to 600 MB from well under 1 MB.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	} {
		w, _ := zw.Create(part.name)
		w.Write([]byte(part.body))
	}
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
	pad := bytes.Repeat([]byte("<!-- padding padding padding padding -->"), 1<<15)
	for written := 0; written < 600<<20; written += len(pad) {
		w.Write(pad)
	}
	w.Write([]byte(`</sheetData></worksheet>`))
	zw.Close()
	put("zip-bomb.xlsx", bomb.Bytes())

	var names []string
	for n := range badInputs {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("wrote %d files", len(names))
}
