package sheet

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// The sheets of ../ingest/testdata/offices were saved by LibreOffice from the
// sources in its src/ (scripts/office-sheets.sh); its README lists them.
// These tests read the committed files and need no LibreOffice.
var offices = filepath.Join("..", "ingest", "testdata", "offices")

const (
	countyTitle  = "亳州市各县（市、区）关注“离退休干部工作”公众号情况统计表（截至2024年6月30日）"
	countyFooter = "制表人：张三    审核人：李四    联系电话：0558-1234567"
)

// readAll reads a table to its end, checking that its lines count up from 1,
// and returns the rows with trailing empty cells dropped.
func readAll(t *testing.T, tb Table) [][]string {
	t.Helper()
	var rows [][]string
	for {
		r, err := tb.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("%s: %v", tb.Name(), err)
		}
		if r.Line != len(rows)+1 {
			t.Fatalf("%s: line %d after %d rows", tb.Name(), r.Line, len(rows))
		}
		cells := r.Cells
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		rows = append(rows, append([]string{}, cells...))
	}
}

// open opens a file of the corpus and closes its tables at the test's end.
func open(t *testing.T, name, only string) ([]Table, string) {
	t.Helper()
	tables, desc, err := Open(filepath.Join(offices, name), only)
	if err != nil {
		t.Fatalf("Open(%s, %q): %v", name, only, err)
	}
	t.Cleanup(func() {
		for _, tb := range tables {
			tb.Close()
		}
	})
	return tables, desc
}

func sheetNames(tables []Table) []string {
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Sheet())
	}
	return names
}

func TestOfficeCountyTableXLS(t *testing.T) {
	tables, desc := open(t, "bozhou-counties.xls", "")
	if desc != "XLS" || len(tables) != 1 {
		t.Fatalf("desc %q, %d tables; want XLS, 1", desc, len(tables))
	}
	tb := tables[0]
	if tb.Name() != "bozhou-counties.xls[亳州市]" || tb.Sheet() != "亳州市" {
		t.Errorf("Name %q, Sheet %q", tb.Name(), tb.Sheet())
	}
	title, footer := countyTitle, countyFooter
	want := [][]string{
		{title, title, title, title, title},    // A1:E1 merged
		{"序号", "单位", "离退休干部数", "关注情况", "关注情况"}, // A2:A3, B2:B3, C2:C3 and D2:E2 merged
		{"序号", "单位", "离退休干部数", "关注人数", "关注率"},
		{"1", "谯城区", "2618", "1665", "63.60%"},
		{"2", "涡阳县", "1789", "859", "48.02%"},
		{"3", "蒙城县", "2374", "2025", "85.30%"},
		{"4", "利辛县", "967", "804", "83.14%"},
		// A8:B8 merged; the sums are formulas, the rate a formula whose
		// result is text (a STRING record).
		{"合计", "合计", "7748", "5353", "69.09%"},
		{footer, footer, footer, footer, footer}, // A9:E9 merged
		{"填报单位：蒙城县委老干部局（盖章）"},
	}
	got := readAll(t, tb)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%q\nwant\n%q", got, want)
	}
	if d, ok := DateInText(got[0][0]); !ok || d.Format(time.DateOnly) != "2024-06-30" {
		t.Errorf("the title's date: %v %v", d, ok)
	}
	if _, err := tb.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next after the end: %v", err)
	}

	// The XLSX it was saved from reads the same, merges and all, but for
	// the formulas, which excelize wrote without results.
	xlsx, desc := open(t, "src/bozhou-counties.xlsx", "")
	if desc != "XLSX" || len(xlsx) != 1 || xlsx[0].Sheet() != "亳州市" {
		t.Fatalf("XLSX: desc %q, sheets %q", desc, sheetNames(xlsx))
	}
	fromXLSX := readAll(t, xlsx[0])
	if len(fromXLSX) != len(want) {
		t.Fatalf("XLSX: %d rows, want %d", len(fromXLSX), len(want))
	}
	for i := range want {
		if i != 7 && !reflect.DeepEqual(fromXLSX[i], want[i]) {
			t.Errorf("XLSX line %d: %q, want %q", i+1, fromXLSX[i], want[i])
		}
	}
}

func TestOfficeMonthSheets(t *testing.T) {
	figures := map[string][][]string{
		"2024年1月": {{"341602", "谯城区", "2610", "1502"}, {"341621", "涡阳县", "1785", "760"}, {"341622", "蒙城县", "2370", "1890"}, {"341623", "利辛县", "965", "720"}},
		"2024.2":  {{"341602", "谯城区", "2612", "1560"}, {"341621", "涡阳县", "1786", "801"}, {"341622", "蒙城县", "2371", "1950"}, {"341623", "利辛县", "966", "751"}},
		"3月":      {{"341602", "谯城区", "2615", "1611"}, {"341621", "涡阳县", "1788", "833"}, {"341622", "蒙城县", "2372", "1998"}, {"341623", "利辛县", "967", "779"}},
	}
	for _, tt := range []struct{ file, desc string }{{"monthly-2024.xls", "XLS"}, {"src/monthly-2024.xlsx", "XLSX"}} {
		t.Run(tt.file, func(t *testing.T) {
			tables, desc := open(t, tt.file, "")
			// Sheet2 has no cells and 底稿 is hidden: neither is a table.
			if names := sheetNames(tables); desc != tt.desc || !reflect.DeepEqual(names, []string{"2024年1月", "2024.2", "3月"}) {
				t.Fatalf("desc %q, sheets %q", desc, names)
			}
			for _, tb := range tables {
				if want := filepath.Base(tt.file) + "[" + tb.Sheet() + "]"; tb.Name() != want {
					t.Errorf("Name %q, want %q", tb.Name(), want)
				}
				want := append([][]string{
					{"2024年各县关注情况", "2024年各县关注情况", "2024年各县关注情况", "2024年各县关注情况"},
					{"区划代码", "单位", "离退休干部数", "关注人数"},
				}, figures[tb.Sheet()]...)
				if got := readAll(t, tb); !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\n%q\nwant\n%q", tb.Name(), got, want)
				}
			}

			// A hidden sheet is read when named.
			hidden, _ := open(t, tt.file, "底稿")
			if len(hidden) != 1 || hidden[0].Sheet() != "底稿" {
				t.Fatalf("--sheet 底稿: %q", sheetNames(hidden))
			}
			if got := readAll(t, hidden[0]); len(got) != 2 || got[1][1] != "谯城区" {
				t.Errorf("底稿: %q", got)
			}
			path := filepath.Join(offices, tt.file)
			if _, _, err := Open(path, "Sheet2"); err == nil || err.Error() != `sheet "Sheet2" has no cells` {
				t.Errorf("--sheet Sheet2: %v", err)
			}
			if _, _, err := Open(path, "4月"); err == nil || !strings.Contains(err.Error(), `no sheet "4月"; the workbook has 2024年1月, 2024.2, 3月, Sheet2, 底稿`) {
				t.Errorf("--sheet 4月: %v", err)
			}
		})
	}
}

func TestOfficeDateCellsAndTextCounts(t *testing.T) {
	for _, tt := range []struct{ file, desc string }{{"date-cells.xls", "XLS"}, {"src/date-cells.xlsx", "XLSX"}} {
		t.Run(tt.file, func(t *testing.T) {
			tables, desc := open(t, tt.file, "")
			if desc != tt.desc || len(tables) != 1 || tables[0].Sheet() != "6月" {
				t.Fatalf("desc %q, sheets %q", desc, sheetNames(tables))
			}
			// The date cells (formats yyyy"年"m"月"d"日" and 14) come out as
			// Excel serials; the counts, typed as text, as that text.
			want := [][]string{
				{"单位", "区划代码", "统计日期", "离退休干部数", "关注人数"},
				{"谯城区", "341602", "45473", "2618", "1665"},
				{"涡阳县", "341621", "45473", "1789", "859"},
				{"蒙城县", "341622", "45473", "2374", "2025"},
				{"利辛县", "341623", "45473", "967", "804"},
			}
			got := readAll(t, tables[0])
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("rows:\n%q\nwant\n%q", got, want)
			}
			if d, err := Date(got[1][2]); err != nil || d.Format(time.DateOnly) != "2024-06-30" {
				t.Errorf("Date(%q) = %v, %v", got[1][2], d, err)
			}
		})
	}
	// The cells really are a date cell and a text cell in the .xls.
	b := readBook(t, "date-cells.xls")
	var dateXF uint16
	found := false
	r := &recReader{s: b.stream, off: b.sheets[0].pos}
	for id, data, ok := r.next(); ok && id != recEOF; id, data, ok = r.next() {
		if len(data) < 6 {
			continue
		}
		row, col := binary.LittleEndian.Uint16(data), binary.LittleEndian.Uint16(data[2:])
		switch {
		case row == 1 && col == 2 && (id == recNumber || id == recRK):
			dateXF, found = binary.LittleEndian.Uint16(data[4:]), true
		case row == 1 && col == 3 && id != recLabelSST:
			t.Errorf("D2 is record %#x, not a string", id)
		}
	}
	if !found || !b.isDate(dateXF) {
		t.Errorf("C2: found %v, a date format %v", found, found && b.isDate(dateXF))
	}
}

// The .et, made from a CSV of 1,020 villages, has shared strings that go on
// over five CONTINUE records, some cut inside a string.
func TestOfficeVillagesET(t *testing.T) {
	tables, desc := open(t, "mengcheng-villages.et", "")
	if desc != "WPS ET" || len(tables) != 1 || tables[0].Sheet() != "mengcheng-villages" {
		t.Fatalf("desc %q, sheets %q", desc, sheetNames(tables))
	}
	src, err := os.ReadFile(filepath.Join(offices, "src", "mengcheng-villages.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := csv.NewReader(bytes.NewReader(src)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, tables[0])
	if len(got) != 1021 || !reflect.DeepEqual(got, want) {
		for i := range min(len(got), len(want)) {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("line %d: %q, want %q", i+1, got[i], want[i])
			}
		}
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	b := readBook(t, "mengcheng-villages.et")
	continues := 0
	r := &recReader{s: b.stream}
	for id, _, ok := r.next(); ok; id, _, ok = r.next() {
		if id == recSST {
			for r.peek() == recContinue {
				r.next()
				continues++
			}
		}
	}
	if continues < 2 || len(b.sst) != 2044 {
		t.Errorf("%d CONTINUE records after the SST, %d strings; the fixture no longer tests them", continues, len(b.sst))
	}
}

// readBook reads the globals of a corpus file.
func readBook(t *testing.T, name string) *xlsBook {
	t.Helper()
	stream, err := workbookStream(filepath.Join(offices, name))
	if err != nil {
		t.Fatal(err)
	}
	b, err := readGlobals(stream)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOfficeFilesAreBIFF8(t *testing.T) {
	for _, name := range []string{"bozhou-counties.xls", "monthly-2024.xls", "date-cells.xls", "empty.xls", "mengcheng-villages.et"} {
		head := make([]byte, 8)
		f, err := os.Open(filepath.Join(offices, name))
		if err != nil {
			t.Fatal(err)
		}
		io.ReadFull(f, head)
		f.Close()
		if !bytes.Equal(head, magicOLE) {
			t.Errorf("%s starts % x, not an OLE2 compound file", name, head)
		}
		// readGlobals refuses anything but BIFF8's BOF (version 0x0600).
		readBook(t, name)
	}
}

func TestOfficeEmptyWorkbooks(t *testing.T) {
	for _, name := range []string{"empty.xls", "src/empty.xlsx"} {
		if _, _, err := Open(filepath.Join(offices, name), ""); err == nil || err.Error() != "the workbook has no cells" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Hidden sheets with cells are named.
	path := filepath.Join(t.TempDir(), "hidden.xlsx")
	f := excelize.NewFile()
	f.NewSheet("数据")
	f.SetCellValue("数据", "A1", "地区")
	f.SetSheetVisible("数据", false)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(path, ""); err == nil || !strings.Contains(err.Error(), "no cells in its visible sheets; the hidden sheet 数据") {
		t.Errorf("hidden only: %v", err)
	}
}

// An empty sheet before the data is skipped, and rows above the first
// with a value still come, empty, so that lines count as in the sheet.
func TestXLSXLeadingEmptySheetAndRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "book.xlsx")
	f := excelize.NewFile()
	f.NewSheet("数据")
	f.SetCellValue("数据", "B3", "地区")
	f.SetCellValue("数据", "B4", "谯城区")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	tables, desc, err := Open(path, "")
	if err != nil || desc != "XLSX" || len(tables) != 1 || tables[0].Sheet() != "数据" {
		t.Fatalf("%v %q %q", err, desc, sheetNames(tables))
	}
	defer tables[0].Close()
	got := readAll(t, tables[0])
	if want := [][]string{{}, {}, {"", "地区"}, {"", "谯城区"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
}

func TestOfficeODS(t *testing.T) {
	_, _, err := Open(filepath.Join(offices, "bozhou-counties.ods"), "")
	if err == nil || err.Error() != "this is an OpenDocument spreadsheet (.ods); save it as .xlsx or .xls" {
		t.Errorf("err = %v", err)
	}
}

func TestSheetOfCSVAndRowsIsEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "june.csv")
	os.WriteFile(path, []byte("地区,离退休干部数\n谯城区,2618\n"), 0o644)
	tables, _, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer tables[0].Close()
	if s := tables[0].Sheet(); s != "" {
		t.Errorf("CSV Sheet() = %q", s)
	}
	if s := Rows("api", nil).Sheet(); s != "" {
		t.Errorf("Rows Sheet() = %q", s)
	}
}

// cfb builds a compound file of one sector size (512) whose root holds
// empty streams of the given names: enough for mscfb, and for Open to say
// what the file is.
func cfb(names ...string) []byte {
	const end, free = 0xFFFFFFFE, 0xFFFFFFFF
	b := make([]byte, 3*512)
	le := binary.LittleEndian
	copy(b, magicOLE)
	le.PutUint16(b[24:], 0x3E)
	le.PutUint16(b[26:], 3)
	le.PutUint16(b[28:], 0xFFFE)
	le.PutUint16(b[30:], 9)
	le.PutUint16(b[32:], 6)
	le.PutUint32(b[44:], 1) // one FAT sector, sector 0
	le.PutUint32(b[48:], 1) // the directory in sector 1
	le.PutUint32(b[56:], 4096)
	le.PutUint32(b[60:], end)
	le.PutUint32(b[68:], end)
	for i := 76; i < 512; i += 4 {
		le.PutUint32(b[i:], free)
	}
	le.PutUint32(b[76:], 0)
	fat := b[512:1024]
	for i := 0; i < 512; i += 4 {
		le.PutUint32(fat[i:], free)
	}
	le.PutUint32(fat, 0xFFFFFFFD)
	le.PutUint32(fat[4:], end)
	entry := func(i int, name string, kind byte, right, child uint32) {
		e := b[1024+128*i:]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66], e[67] = kind, 1
		le.PutUint32(e[68:], free)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], end)
	}
	entry(0, "Root Entry", 5, free, 1)
	for i, n := range names {
		right := uint32(free)
		if i+1 < len(names) && i+2 < 4 {
			right = uint32(i + 2)
		}
		entry(i+1, n, 2, right, free)
	}
	return b
}

func TestXLSNotAWorkbook(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name    string
		streams []string
		want    string
	}{
		{"report.doc", []string{"WordDocument", "1Table"}, "report.doc is a Word document (.doc), not a workbook"},
		{"slides.xls", []string{"PowerPoint Document"}, "slides.xls is a PowerPoint presentation"},
		{"locked.xlsx", []string{"EncryptionInfo", "EncryptedPackage"}, "locked.xlsx is a password-protected workbook"},
		{"old.xls", []string{"Book"}, "old.xls is an Excel 5.0/95 workbook"},
		{"thing.xls", []string{"Contents"}, "thing.xls is an OLE2 compound file (the container of old Office files) that holds no workbook; it has Contents"},
	} {
		path := filepath.Join(dir, tt.name)
		os.WriteFile(path, cfb(tt.streams...), 0o644)
		if _, _, err := Open(path, ""); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestXLSTruncated(t *testing.T) {
	whole, err := os.ReadFile(filepath.Join(offices, "bozhou-counties.xls"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "cut.xls")
	os.WriteFile(path, whole[:len(whole)/2], 0o644)
	_, _, err = Open(path, "")
	if err == nil || !strings.Contains(err.Error(), "cut.xls") || !strings.Contains(err.Error(), "Excel 97-2003") {
		t.Errorf("half a file: %v", err)
	}
	// Cut anywhere, the file is an error or whole rows, never a panic.
	for n := 8; n < len(whole); n += 97 {
		os.WriteFile(path, whole[:n], 0o644)
		tables, _, err := Open(path, "")
		if err != nil {
			continue
		}
		for _, tb := range tables {
			for {
				if _, err := tb.Next(); err != nil {
					break
				}
			}
			tb.Close()
		}
	}
}

// readEverything reads a workbook stream as Open and Next do, but without
// their recover: the parser itself must not panic on a damaged stream.
func readEverything(stream []byte) {
	b, err := readGlobals(stream)
	if err != nil {
		return
	}
	for _, s := range b.sheets {
		if _, _, err := b.readSheet(s, true); err != nil {
			continue
		}
		t := &xlsTable{book: b, info: s, name: s.name}
		if t.load() != nil {
			continue
		}
		for t.row <= t.last {
			r := uint32(t.row)
			t.row++
			for ; t.i < len(t.cells) && t.cells[t.i].row == r; t.i++ {
			}
		}
	}
}

func TestXLSDamagedStreamsDoNotPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"bozhou-counties.xls", "monthly-2024.xls", "mengcheng-villages.et"} {
		stream := readBook(t, name).stream
		step := max(1, len(stream)/200)
		for n := 0; n < len(stream); n += step {
			readEverything(stream[:n])
		}
		for range 150 {
			s := bytes.Clone(stream)
			for range 1 + rng.IntN(8) {
				s[rng.IntN(len(s))] = byte(rng.Uint32())
			}
			readEverything(s)
		}
	}
}

func TestXLSNumbers(t *testing.T) {
	for _, tt := range []struct {
		rk   uint32
		want float64
	}{
		{2618<<2 | 2, 2618}, {8530<<2 | 3, 85.3}, {0xFFFFFFEC | 2, -5}, // -5 as a 30-bit integer
		{0x3FF00000, 1}, // the top 30 bits of the float64 1.0
		{0x3FF00000 | 1, 0.01},
	} {
		if got := rkValue(tt.rk); got != tt.want {
			t.Errorf("rkValue(%#x) = %v, want %v", tt.rk, got, tt.want)
		}
	}
	b := &xlsBook{xfFormat: []uint16{0, 14, 164, 165, 10}, custom: map[uint16]bool{164: true, 165: false}}
	for _, tt := range []struct {
		v    float64
		xf   uint16
		want string
	}{
		{45473, 1, "45473"}, {0.853, 4, "0.853"}, {2618, 0, "2618"}, {-0.0, 0, "0"}, {1e21, 0, "1e+21"}, {63.6, 0, "63.6"},
	} {
		if got := b.number(tt.v, tt.xf); got != tt.want {
			t.Errorf("number(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	// A workbook counting days from 1904 gives dates as the 1900 system does.
	b.date1904 = true
	for xf, want := range map[uint16]string{1: "45473", 2: "45473", 3: "44011", 0: "44011"} {
		if got := b.number(44011, xf); got != want {
			t.Errorf("1904: number(44011, xf %d) = %q, want %q", xf, got, want)
		}
	}
	for code, want := range map[string]bool{
		`yyyy"年"m"月"d"日"`: true, "yyyy-mm-dd": true, "[$-F800]dddd": true, "h:mm": true,
		"General": false, "0.00%": false, `#,##0"人"`: false, `0.00_);[Red]\(0.00\)`: false, "0.0E+00": false, "@": false,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v", code, got)
		}
	}
}
