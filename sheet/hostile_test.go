package sheet

// Hostile and odd files: each test here failed, hung or took hundreds of
// megabytes before the reader bounded what a file may cost.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// memWatch samples the heap while a test reads, for the peak; and counts
// what was allocated.
type memWatch struct {
	stop  chan struct{}
	done  chan struct{}
	peak  atomic.Uint64
	alloc uint64
}

func watchMemory() *memWatch {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	w := &memWatch{stop: make(chan struct{}), done: make(chan struct{}), alloc: ms.TotalAlloc}
	w.peak.Store(ms.HeapInuse)
	go func() {
		defer close(w.done)
		var ms runtime.MemStats
		for {
			select {
			case <-w.stop:
				return
			case <-time.After(time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > w.peak.Load() {
				w.peak.Store(ms.HeapInuse)
			}
		}
	}()
	return w
}

// end returns the peak heap in use and the bytes allocated since the
// watch started, in MB.
func (w *memWatch) end() (peak, alloc uint64) {
	close(w.stop)
	<-w.done
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return max(w.peak.Load(), ms.HeapInuse) >> 20, (ms.TotalAlloc - w.alloc) >> 20
}

// readTable reads a table to its end or its first error.
func readTable(tb Table) (rows [][]string, err error) {
	for {
		r, err := tb.Next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, append([]string(nil), r.Cells...))
	}
}

func closeAll(tables []Table) {
	for _, t := range tables {
		t.Close()
	}
}

// A directory named like a sheet is said to be one, not "empty".
func TestOpenDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x.csv")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	_, _, err := Open(dir, "")
	if err == nil || err.Error() != "x.csv is a directory, not a figure sheet; name a file in it" {
		t.Errorf("err = %v", err)
	}
}

func TestOpenDevice(t *testing.T) {
	if _, err := os.Stat("/dev/null"); err != nil {
		t.Skip("no /dev/null")
	}
	for _, open := range []func() error{
		func() error { _, _, err := Open("/dev/null", ""); return err },
		func() error { _, err := workbookStream("/dev/null"); return err },
	} {
		if err := open(); err == nil || err.Error() != "null is not a regular file: it is a device" {
			t.Errorf("err = %v", err)
		}
	}
}

// CSV files ended by CR alone read as lines, also in GB18030, and a CR LF
// among them is one line end.
func TestCSVWithCROnlyLineEnds(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("地区,离退休干部数,关注人数\r")
	const n = 100_000 // 2 MB: once one line of 2 MB
	for i := range n {
		fmt.Fprintf(&b, "单位%d,%d,%d\r", i, 1000+i, 500+i)
	}
	b.WriteString("合计,1,1\r\n末行,2,2\r")
	dir := t.TempDir()
	for _, tt := range []struct{ name, enc string }{{"mac.csv", "CSV, UTF-8"}, {"mac-gbk.csv", "CSV, GB18030/GBK"}} {
		data := b.Bytes()
		if tt.enc != "CSV, UTF-8" {
			data = gbk(t, b.String())
		}
		path := filepath.Join(dir, tt.name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		tables, desc, err := Open(path, "")
		if err != nil {
			t.Fatal(err)
		}
		if desc != tt.enc {
			t.Errorf("%s: %q", tt.name, desc)
		}
		var got []Row
		for {
			r, err := tables[0].Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			got = append(got, Row{Line: r.Line, Cells: append([]string(nil), r.Cells...)})
		}
		tables[0].Close()
		if len(got) != n+3 {
			t.Fatalf("%s: %d rows, want %d", tt.name, len(got), n+3)
		}
		for i, want := range map[int]Row{
			0:     {1, []string{"地区", "离退休干部数", "关注人数"}},
			1:     {2, []string{"单位0", "1000", "500"}},
			n:     {n + 1, []string{fmt.Sprintf("单位%d", n-1), strconv.Itoa(1000 + n - 1), strconv.Itoa(500 + n - 1)}},
			n + 2: {n + 3, []string{"末行", "2", "2"}},
		} {
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("%s: row %d = %d %q, want %d %q", tt.name, i, got[i].Line, got[i].Cells, want.Line, want.Cells)
			}
		}
	}
}

func TestCRToLF(t *testing.T) {
	for in, want := range map[string]string{
		"a\rb\rc":         "a\nb\nc",
		"a\r\nb\r\n":      "a\nb\n",
		"a\r\r\nb\n\rc\r": "a\n\nb\n\nc\n",
		"\n\r\n\r":        "\n\n\n",
	} {
		got, err := io.ReadAll(&crToLF{r: iotest.OneByteReader(strings.NewReader(in))})
		if err != nil || string(got) != want {
			t.Errorf("%q: %q, %v; want %q", in, got, err, want)
		}
	}
}

// A file of one endless line fails at that line, reading it little by
// little; a line of a megabyte (a cell the caller rejects) still reads.
func TestCSVLineTooLong(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "one-line.csv")
	if err := os.WriteFile(path, bytes.Repeat([]byte("abcdefghi,"), 2<<20), 0o644); err != nil { // 20 MB
		t.Fatal(err)
	}
	w := watchMemory()
	start := time.Now()
	tables, _, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tables[0].Next()
	tables[0].Close()
	took := time.Since(start)
	peak, alloc := w.end()
	if err == nil || err.Error() != "line 1 is longer than 2 MiB; this is not a figure sheet" {
		t.Errorf("err = %v", err)
	}
	t.Logf("20 MB line: %v, peak heap %d MB, %d MB allocated", took, peak, alloc)
	if took > 3*time.Second || alloc > 50 {
		t.Errorf("20 MB line: %v and %d MB allocated; want under 3 s and 50 MB", took, alloc)
	}

	// A long line further down is named.
	long := "地区,离退休干部数,关注人数\n谯城区,2618,1665\n" + strings.Repeat("x", 3<<20) + "\n"
	os.WriteFile(path, []byte(long), 0o644)
	tables, _, err = Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := readTable(tables[0])
	tables[0].Close()
	if len(rows) != 2 || err == nil || err.Error() != "line 3 is longer than 2 MiB; this is not a figure sheet" {
		t.Errorf("%d rows, err = %v", len(rows), err)
	}

	// A cell of a megabyte is a row.
	os.WriteFile(path, []byte("地区,离退休干部数,关注人数\n"+strings.Repeat("县", 1<<20/3+10)+",1,1\n谯城区,2,2\n"), 0o644)
	tables, _, err = Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	rows, err = readTable(tables[0])
	tables[0].Close()
	if err != nil || len(rows) != 3 || len(rows[1][0]) < 1<<20 {
		t.Errorf("%d rows, err = %v", len(rows), err)
	}

	// A quote that is never closed runs on over many short lines: that
	// record is bounded too.
	var b strings.Builder
	b.WriteString("地区,离退休干部数,关注人数\n谯城区,2618,1665\n\"")
	for b.Len() < 20<<20 {
		b.WriteString("涡阳县,1789,859\n")
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
	w = watchMemory()
	tables, _, err = Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	rows, err = readTable(tables[0])
	tables[0].Close()
	peak, alloc = w.end()
	if len(rows) != 2 || err == nil || err.Error() != "from line 3 on, a quoted cell runs on for over 8 MiB (a quote is not closed); this is not a figure sheet" {
		t.Errorf("%d rows, err = %v", len(rows), err)
	}
	if alloc > 80 {
		t.Errorf("an unclosed quote: %d MB allocated (peak heap %d MB)", alloc, peak)
	}
}

func TestOpenContextStopsReading(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "june.csv")
	var b strings.Builder
	b.WriteString("地区,离退休干部数,关注人数\n")
	for i := range 10_000 {
		fmt.Fprintf(&b, "单位%d,%d,%d\n", i, 1000+i, 500+i)
	}
	os.WriteFile(csvPath, []byte(b.String()), 0o644)
	xlsxPath := filepath.Join(dir, "june.xlsx")
	writeXLSX(t, xlsxPath, nil, xlsxSheetSpec{name: "数据", rows: func(w io.Writer) {
		for r := 1; r <= 10_000; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, r, r, r)
		}
	}})
	for _, path := range []string{csvPath, xlsxPath, filepath.Join(offices, "bozhou-counties.xls")} {
		ctx, cancel := context.WithCancel(context.Background())
		tables, _, err := OpenContext(ctx, path, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tables[0].Next(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		cancel()
		if _, err := tables[0].Next(); err != context.Canceled {
			t.Errorf("%s: Next after cancel: %v", filepath.Base(path), err)
		}
		closeAll(tables)
		if _, _, err := OpenContext(ctx, path, ""); err != context.Canceled {
			t.Errorf("%s: OpenContext after cancel: %v", filepath.Base(path), err)
		}
	}
	// The scans that Open makes stop too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := detectEncoding(ctx, strings.NewReader("a,b\n")); err != context.Canceled {
		t.Errorf("detectEncoding: %v", err)
	}
	if err := scanWorksheet(ctx, strings.NewReader("<worksheet/>"), &sheetScan{}, nil); err != context.Canceled {
		t.Errorf("scanWorksheet: %v", err)
	}
}

// xlsxSheetSpec is a worksheet of a workbook written by hand.
type xlsxSheetSpec struct {
	name, state string
	part        string // its part; xl/worksheets/sheetN.xml by default
	target      string // its relationship's target; "worksheets/sheetN.xml" by default
	rows        func(w io.Writer)
	merges      []string
}

// writeXLSX writes a workbook of the sheets by hand, fast: a million rows
// take a second.
func writeXLSX(t testing.TB, path string, sst []string, sheets ...xlsxSheetSpec) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	put("[Content_Types].xml", head+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`)
	put("_rels/.rels", head+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	var wb, rels strings.Builder
	wb.WriteString(head + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	rels.WriteString(head + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i := range sheets {
		s := &sheets[i]
		if s.part == "" {
			s.part = fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		}
		if s.target == "" {
			s.target = strings.TrimPrefix(s.part, "xl/")
		}
		state := ""
		if s.state != "" {
			state = ` state="` + s.state + `"`
		}
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, s.name, i+1, state, 10+i)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="%s"/>`, 10+i, s.target)
	}
	wb.WriteString(`</sheets></workbook>`)
	if sst != nil {
		rels.WriteString(`<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
	}
	rels.WriteString(`</Relationships>`)
	put("xl/workbook.xml", wb.String())
	put("xl/_rels/workbook.xml.rels", rels.String())
	if sst != nil {
		var b strings.Builder
		fmt.Fprintf(&b, head+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(sst), len(sst))
		for _, s := range sst {
			fmt.Fprintf(&b, `<si><t>%s</t></si>`, s)
		}
		b.WriteString(`</sst>`)
		put("xl/sharedStrings.xml", b.String())
	}
	written := map[string]bool{}
	for _, s := range sheets {
		if written[s.part] {
			continue
		}
		written[s.part] = true
		w, err := zw.Create(s.part)
		if err != nil {
			t.Fatal(err)
		}
		bw := bufio.NewWriterSize(w, 1<<16)
		bw.WriteString(head + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>`)
		if s.rows != nil {
			s.rows(bw)
		}
		bw.WriteString(`</sheetData>`)
		if len(s.merges) > 0 {
			fmt.Fprintf(bw, `<mergeCells count="%d">`, len(s.merges))
			for _, m := range s.merges {
				fmt.Fprintf(bw, `<mergeCell ref="%s"/>`, m)
			}
			bw.WriteString(`</mergeCells>`)
		}
		bw.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// formulaRows writes rows first..last of three cells with a formula and
// no saved result each.
func formulaRows(first, last int) func(w io.Writer) {
	return func(w io.Writer) {
		var b []byte
		for r := first; r <= last; r++ {
			n := strconv.Itoa(r)
			b = append(b[:0], `<row r="`...)
			b = append(b, n...)
			b = append(b, `"><c r="A`...)
			b = append(b, n...)
			b = append(b, `"><f>ROW()</f></c><c r="B`...)
			b = append(b, n...)
			b = append(b, `"><f>A`...)
			b = append(b, n...)
			b = append(b, `*2</f></c><c r="C`...)
			b = append(b, n...)
			b = append(b, `"><f>B`...)
			b = append(b, n...)
			b = append(b, `/A`...)
			b = append(b, n...)
			b = append(b, `</f></c></row>`...)
			w.Write(b)
		}
	}
}

// A sheet of 1,048,576 rows of formulas without saved results was loaded
// whole (67 s, 2 GB), then read to its end, to say the workbook has no
// cells. Now it fails, saying why, in a second, and the read stops when
// cancelled.
func TestXLSXMillionFormulaRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "formulas.xlsx")
	start := time.Now()
	writeXLSX(t, path, nil, xlsxSheetSpec{name: "Sheet1", rows: formulaRows(1, 1<<20)})
	t.Logf("wrote %d rows in %v", 1<<20, time.Since(start))

	w := watchMemory()
	start = time.Now()
	tables, desc, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tables[0].Next()
	closeAll(tables)
	took := time.Since(start)
	peak, alloc := w.end()
	want := "no values: its 3145728 formulas have no saved results (a program wrote it, not Excel); open it in Excel or WPS and save it again"
	if desc != "XLSX" || len(tables) != 1 || err == nil || err.Error() != want {
		t.Errorf("%q, %d tables, err = %v", desc, len(tables), err)
	}
	t.Logf("1,048,576 formula rows: %v, peak heap %d MB, %d MB allocated", took, peak, alloc)
	if took > 5*time.Second || peak > 100 || alloc > 200 {
		t.Errorf("1,048,576 formula rows: %v, peak heap %d MB, %d MB allocated; want under 5 s, 100 MB, 200 MB", took, peak, alloc)
	}

	// Cancelled, the scan stops.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start = time.Now()
	_, _, err = OpenContext(ctx, path, "")
	if err != context.Canceled || time.Since(start) > time.Second {
		t.Errorf("cancelled after 20ms: %v after %v", err, time.Since(start))
	}
}

// A sheet whose values begin below its first 100,000 rows is no figure
// sheet: the scan says so, or, where its first values are empty, the read
// ahead stops there.
func TestXLSXEmptyTop(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "deep.xlsx")
	writeXLSX(t, deep, nil, xlsxSheetSpec{name: "数据", rows: func(w io.Writer) {
		formulaRows(1, maxEmptyTop+5)(w)
		fmt.Fprintf(w, `<row r="%d"><c r="A%[1]d"><v>1</v></c></row>`, maxEmptyTop+6)
	}})
	blank := filepath.Join(dir, "blank.xlsx")
	writeXLSX(t, blank, nil, xlsxSheetSpec{name: "数据", rows: func(w io.Writer) {
		for r := 1; r <= maxEmptyTop+5; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%[1]d" t="inlineStr"><is><t></t></is></c></row>`, r)
		}
	}})
	for _, path := range []string{deep, blank} {
		start := time.Now()
		tables, _, err := Open(path, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = tables[0].Next()
		closeAll(tables)
		if err == nil || err.Error() != "no values in the first 100000 rows; this is not a figure sheet" {
			t.Errorf("%s: %v", filepath.Base(path), err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%s: %v", filepath.Base(path), took)
		}
	}
}

// The empty rows read at the tops of a workbook's sheets are bounded
// together: a workbook of many such sheets is not read for minutes.
func TestXLSXEmptyTopBudget(t *testing.T) {
	defer func(top, total int) { maxEmptyTop, maxEmptyTopTotal = top, total }(maxEmptyTop, maxEmptyTopTotal)
	maxEmptyTop, maxEmptyTopTotal = 100, 250
	path := filepath.Join(t.TempDir(), "many.xlsx")
	blank := func(w io.Writer) {
		for r := 1; r <= 150; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%[1]d" t="inlineStr"><is><t></t></is></c></row>`, r)
		}
		io.WriteString(w, `<row r="151"><c r="A151"><v>1</v></c></row>`)
	}
	var sheets []xlsxSheetSpec
	for i := range 4 {
		// The sheets share one part, which is read once for them all.
		sheets = append(sheets, xlsxSheetSpec{name: fmt.Sprintf("S%d", i+1), part: "xl/worksheets/sheet1.xml", rows: blank})
	}
	sheets = append(sheets, xlsxSheetSpec{name: "数据", rows: func(w io.Writer) {
		io.WriteString(w, `<row r="1"><c r="A1"><v>7</v></c></row>`)
	}})
	writeXLSX(t, path, nil, sheets...)
	tables, _, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(tables)
	var got []string
	for _, tb := range tables {
		_, err := tb.Next()
		got = append(got, fmt.Sprintf("%s: %v", tb.Sheet(), err))
	}
	notRead := "not read: the sheets before it had 250 empty rows at their tops, all a workbook may; name this sheet with --sheet to read it"
	want := []string{
		"S1: no values in the first 100 rows; this is not a figure sheet",
		"S2: no values in the first 100 rows; this is not a figure sheet",
		"S3: " + notRead, "S4: " + notRead, "数据: <nil>",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A sheet of 70,000 rows with merged ranges took 130–165 MB, its XML
// loaded whole for the ranges. The ranges are found in the sheet's part,
// resolved from the sheet's name through the workbook's relationships,
// whatever the parts are called and in whatever order.
func TestXLSX70000RowsWithMergedRanges(t *testing.T) {
	sst := []string{"亳州市各县关注情况（截至2024年6月30日）", "区划代码", "单位", "离退休干部数", "关注人数", "关注率", "说明"}
	for i := range 70_000 {
		sst = append(sst, fmt.Sprintf("单位%05d", i))
	}
	path := filepath.Join(t.TempDir(), "rows70k.xlsx")
	writeXLSX(t, path, sst,
		// The first sheet's part is called sheet2.xml, and its target is
		// absolute; the second's is sheet1.xml: by position they would swap.
		xlsxSheetSpec{name: "说明", part: "xl/worksheets/sheet2.xml", target: "/xl/worksheets/sheet2.xml", merges: []string{"A1:C2"}, rows: func(w io.Writer) {
			io.WriteString(w, `<row r="1"><c r="A1" t="s"><v>6</v></c></row>`)
		}},
		xlsxSheetSpec{name: "数据", part: "xl/worksheets/sheet1.xml", merges: []string{"A1:E1", "D3:D10", "B100:C101", "F5:F5", "A2:B2"}, rows: func(w io.Writer) {
			io.WriteString(w, `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)
			io.WriteString(w, `<row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2" t="s"><v>3</v></c><c r="D2" t="s"><v>4</v></c><c r="E2" t="s"><v>5</v></c></row>`)
			for i := range 70_000 {
				r := i + 3
				fmt.Fprintf(w, `<row r="%d"><c r="A%[1]d"><v>%d</v></c>`, r, 341600+i)
				if r != 101 { // B100:C101 is merged
					fmt.Fprintf(w, `<c r="B%d" t="s"><v>%d</v></c>`, r, i+7)
				}
				if r != 100 && r != 101 {
					fmt.Fprintf(w, `<c r="C%d"><v>%d</v></c>`, r, 1000+i%500)
				}
				if r > 10 || r == 3 { // D3:D10 is merged
					fmt.Fprintf(w, `<c r="D%d"><v>%d</v></c>`, r, 500+i%400)
				}
				io.WriteString(w, `</row>`)
			}
		}})
	w := watchMemory()
	start := time.Now()
	tables, desc, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(tables)
	if desc != "XLSX" || !reflect.DeepEqual(sheetNames(tables), []string{"说明", "数据"}) {
		t.Fatalf("%q, %q", desc, sheetNames(tables))
	}
	note, err := readTable(tables[0])
	if err != nil || !reflect.DeepEqual(note, [][]string{{"说明", "说明", "说明"}, {"说明", "说明", "说明"}}) {
		t.Errorf("说明: %q, %v", note, err)
	}
	rows, err := readTable(tables[1])
	took := time.Since(start)
	peak, alloc := w.end()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 70_002 {
		t.Fatalf("%d rows", len(rows))
	}
	title := sst[0]
	for i, want := range map[int][]string{
		0:   {title, title, title, title, title},
		1:   {"区划代码", "区划代码", "离退休干部数", "关注人数", "关注率"},
		2:   {"341600", "单位00000", "1000", "500"},
		3:   {"341601", "单位00001", "1001", "500"}, // D4:D10 hold D3's value
		9:   {"341607", "单位00007", "1007", "500"},
		10:  {"341608", "单位00008", "1008", "508"},
		99:  {"341697", "单位00097", "单位00097", "597"},
		100: {"341698", "单位00097", "单位00097", "598"},
		101: {"341699", "单位00099", "1099", "599"},
	} {
		if !reflect.DeepEqual(rows[i], want) {
			t.Errorf("line %d: %q, want %q", i+1, rows[i], want)
		}
	}
	t.Logf("70,000 rows: %v, peak heap %d MB, %d MB allocated", took, peak, alloc)
	if peak > 60 || took > 8*time.Second {
		t.Errorf("70,000 rows: %v, peak heap %d MB; want under 8 s and 60 MB", took, peak)
	}
}

// A cell past column XFD was excelize's bare "the column number must be…":
// the error names the row, and the table the sheet.
func TestXLSXCellPastXFD(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wide.xlsx")
	writeXLSX(t, path, nil, xlsxSheetSpec{name: "数据", rows: func(w io.Writer) {
		io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="inlineStr"><is><t>离退休干部数</t></is></c></row>`)
		for r := 2; r <= 60_001; r++ {
			fmt.Fprintf(w, `<row r="%d"><c r="A%[1]d" t="inlineStr"><is><t>谯城区</t></is></c><c r="B%[1]d"><v>10</v></c>`, r)
			if r == 60_001 {
				fmt.Fprintf(w, `<c r="XFE%d"><v>1</v></c>`, r)
			}
			io.WriteString(w, `</row>`)
		}
	}})
	tables, _, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(tables)
	rows, err := readTable(tables[0])
	if len(rows) != 60_000 || err == nil || !strings.HasPrefix(err.Error(), "row 60001: a cell lies past column XFD") || tables[0].Name() != "wide.xlsx[数据]" {
		t.Errorf("%d rows, %s: %v", len(rows), tables[0].Name(), err)
	}
}

// A cell or a row of many megabytes fails before excelize holds it.
func TestXLSXHugeCellAndRow(t *testing.T) {
	dir := t.TempDir()
	heading := `<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c></row>`
	cell := filepath.Join(dir, "cell.xlsx")
	writeXLSX(t, cell, nil, xlsxSheetSpec{name: "S", rows: func(w io.Writer) {
		io.WriteString(w, heading+`<row r="2"><c r="A2" t="inlineStr"><is><t>`)
		for range 50 {
			io.WriteString(w, strings.Repeat("x", 1<<20))
		}
		io.WriteString(w, `</t></is></c></row>`)
	}})
	row := filepath.Join(dir, "row.xlsx")
	writeXLSX(t, row, nil, xlsxSheetSpec{name: "S", rows: func(w io.Writer) {
		io.WriteString(w, heading+`<row r="2">`)
		for range 10_000 {
			fmt.Fprintf(w, `<c t="inlineStr"><is><t>%s</t></is></c>`, strings.Repeat("y", 1000))
		}
		io.WriteString(w, `</row>`)
	}})
	for _, path := range []string{cell, row} {
		w := watchMemory()
		tables, _, err := Open(path, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = tables[0].Next()
		closeAll(tables)
		peak, alloc := w.end()
		if err == nil || err.Error() != "row 2 holds over 4 MiB; this is not a figure sheet" {
			t.Errorf("%s: %v", filepath.Base(path), err)
		}
		if alloc > 50 {
			t.Errorf("%s: peak heap %d MB, %d MB allocated", filepath.Base(path), peak, alloc)
		}
	}
}

// Merged ranges are found wherever the blocks the part is read in cut
// their elements, with or without a namespace prefix.
func TestScanWorksheet(t *testing.T) {
	const head = `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>`
	const tail = `</sheetData><mergeCells count="2">`
	for _, el := range []string{`<mergeCell ref="B2:C3"/>`, `<x:mergeCell  ref = 'B2:C3' ></x:mergeCell>`} {
		// The first element starts before the second block, and ends in
		// it, and starts in it, and the second does.
		for pad := 65536 - len(head+tail+el) - 30; pad <= 65536-len(head+tail)+2; pad++ {
			xml := head + strings.Repeat(" ", pad) + tail + el + `<mergeCell ref="A9:A10"/></mergeCells></worksheet>`
			var refs []string
			sc := &sheetScan{}
			err := scanWorksheet(context.Background(), strings.NewReader(xml), sc, func(ref string) error {
				refs = append(refs, ref)
				return nil
			})
			if err != nil || !reflect.DeepEqual(refs, []string{"B2:C3", "A9:A10"}) || sc.firstValue != 1 {
				t.Fatalf("pad %d, %s: %q, %v, first value %d", pad, el, refs, err, sc.firstValue)
			}
		}
	}
	// Text that only looks like an element is no element.
	var refs []string
	scanWorksheet(context.Background(), strings.NewReader(`<worksheet><sheetData><row r="1"><c><is><t>&lt;mergeCell ref="A1:B1"/&gt;</t></is></c></row></sheetData><mergeCells/></worksheet>`), &sheetScan{}, func(ref string) error {
		refs = append(refs, ref)
		return nil
	})
	if refs != nil {
		t.Errorf("refs %q", refs)
	}
}

// The parts of a workbook are found through its relationships: a Word
// document in a zip is named.
func TestXLSXNotAWorkbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.xlsx")
	f, _ := os.Create(path)
	zw := zip.NewWriter(f)
	w, _ := zw.Create("_rels/.rels")
	io.WriteString(w, `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)
	zw.Close()
	f.Close()
	if _, _, err := Open(path, ""); err == nil || !strings.Contains(err.Error(), "it is a Word document (.docx), not a workbook") {
		t.Errorf("err = %v", err)
	}
}

// xlsRecord appends a BIFF record.
func xlsRecord(b []byte, id uint16, data ...[]byte) []byte {
	n := 0
	for _, d := range data {
		n += len(d)
	}
	b = binary.LittleEndian.AppendUint16(b, id)
	b = binary.LittleEndian.AppendUint16(b, uint16(n))
	for _, d := range data {
		b = append(b, d...)
	}
	return b
}

// xlsStream builds a workbook stream of one sheet whose records are made
// by cells.
func xlsStream(sst []string, cells func(b []byte) []byte) []byte {
	le := binary.LittleEndian
	b := xlsRecord(nil, recBOF, []byte{0, 6, 5, 0, 0, 0, 0, 0})
	// Two XF records: 0 general, 1 a date.
	b = xlsRecord(b, recXF, []byte{0, 0, 0, 0})
	b = xlsRecord(b, recXF, []byte{0, 0, 14, 0})
	if sst != nil {
		d := le.AppendUint32(nil, uint32(len(sst)))
		d = le.AppendUint32(d, uint32(len(sst)))
		for _, s := range sst {
			d = le.AppendUint16(d, uint16(len(s)))
			d = append(d, 0)
			d = append(d, s...)
		}
		b = xlsRecord(b, recSST, d)
	}
	pos := len(b) + 4
	b = xlsRecord(b, recBoundSheet, make([]byte, 6), []byte{1, 0, 'S'})
	b = xlsRecord(b, recEOF)
	le.PutUint32(b[pos:], uint32(len(b)))
	b = xlsRecord(b, recBOF, []byte{0, 6, 0x10, 0, 0, 0, 0, 0})
	b = cells(b)
	return xlsRecord(b, recEOF)
}

// Cells are kept as where their values lie in the stream, and read when
// their rows are served: each kind of record reads as before.
func TestXLSCellKinds(t *testing.T) {
	le := binary.LittleEndian
	rc := func(row, col, xf uint16) []byte {
		return le.AppendUint16(le.AppendUint16(le.AppendUint16(nil, row), col), xf)
	}
	f64 := func(v float64) []byte { return le.AppendUint64(nil, math.Float64bits(v)) }
	stream := xlsStream([]string{"", "Qiaocheng"}, func(b []byte) []byte {
		b = xlsRecord(b, recLabelSST, rc(0, 0, 0), le.AppendUint32(nil, 1))
		b = xlsRecord(b, recLabelSST, rc(0, 1, 0), le.AppendUint32(nil, 0)) // an empty string: no cell
		b = xlsRecord(b, recLabel, rc(0, 2, 0), []byte{5, 0, 0}, []byte("Guoya"))
		b = xlsRecord(b, recNumber, rc(1, 0, 0), f64(2618))
		b = xlsRecord(b, recRK, rc(1, 1, 0), le.AppendUint32(nil, 8530<<2|3))
		b = xlsRecord(b, recMulRK, le.AppendUint16(le.AppendUint16(nil, 1), 2),
			le.AppendUint16(nil, 0), le.AppendUint32(nil, 7<<2|2),
			le.AppendUint16(nil, 1), le.AppendUint32(nil, 45473<<2|2),
			le.AppendUint16(nil, 3))
		b = xlsRecord(b, recBoolErr, rc(2, 0, 0), []byte{0x07, 1})
		b = xlsRecord(b, recBoolErr, rc(2, 1, 0), []byte{1, 0})
		b = xlsRecord(b, recFormula, rc(2, 2, 0), f64(69.09), make([]byte, 6))
		b = xlsRecord(b, recFormula, rc(2, 3, 0), []byte{2, 0, 0x2A, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 6))
		b = xlsRecord(b, recFormula, rc(2, 4, 0), []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}, make([]byte, 6))
		// The string result goes on in a CONTINUE record.
		b = xlsRecord(b, recString, []byte{10, 0, 0}, []byte("69.0"))
		b = xlsRecord(b, recContinue, []byte{0}, []byte("9% all"))
		return b
	})
	book, err := readGlobals(stream)
	if err != nil {
		t.Fatal(err)
	}
	tb := &xlsTable{book: book, info: book.sheets[0], name: "S"}
	got, err := readTable(tb)
	want := [][]string{
		{"Qiaocheng", "", "Guoya"},
		{"2618", "85.3", "7", "45473"},
		{"#DIV/0!", "TRUE", "69.09", "#N/A", "69.09% all"},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, %v\nwant %q", got, err, want)
	}
	if tb.Close(); book.held != 0 {
		t.Errorf("%d cells held after Close", book.held)
	}
	// The cells of the sheets being read at once are bounded together.
	book.held = maxXLSCells - 5
	tb = &xlsTable{book: book, info: book.sheets[0], name: "S"}
	if _, err := tb.Next(); err == nil || err.Error() != "S: the sheets being read have over 2097152 cells together; save the workbook's sheets as separate files" {
		t.Errorf("over the bound: %v", err)
	}
}

// A sheet of more cells than are read fails before they fill the memory:
// 2.5 million number cells packed six bytes each (MULRK) took 400 MB.
func TestXLSTooManyCells(t *testing.T) {
	le := binary.LittleEndian
	const perRecord = 1000
	stream := xlsStream(nil, func(b []byte) []byte {
		entries := make([]byte, 0, 6*perRecord)
		for i := range perRecord {
			entries = le.AppendUint16(entries, 0)
			entries = le.AppendUint32(entries, uint32(i)<<2|2)
		}
		for row := range 2600 {
			b = xlsRecord(b, recMulRK, le.AppendUint16(le.AppendUint16(nil, uint16(row)), 0), entries, le.AppendUint16(nil, perRecord-1))
		}
		return b
	})
	book, err := readGlobals(stream)
	if err != nil {
		t.Fatal(err)
	}
	w := watchMemory()
	tb := &xlsTable{book: book, info: book.sheets[0], name: "S"}
	_, err = tb.Next()
	peak, alloc := w.end()
	if err == nil || err.Error() != "S: the sheet has over 2097152 cells" {
		t.Errorf("err = %v", err)
	}
	t.Logf("2.1 million cells: peak heap %d MB (the stream %d MB), %d MB allocated", peak, len(stream)>>20, alloc)
	if peak > 120 {
		t.Errorf("peak heap %d MB", peak)
	}
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
