package sheet

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// csvRead is what one Read of a CSV reader gave: a record with the lines
// where it and its last field start and the offset after it, or an error.
type csvRead struct {
	Cells      []string
	Line, Last int
	Offset     int64
	Err        error
	reads      int // reads of the source so far
}

// sourceRead is one Read of a reader's source: how much was asked for and
// how much given.
type sourceRead struct{ asked, got int }

// recorder notes every Read of its source.
type recorder struct {
	r     io.Reader
	reads []sourceRead
}

func (r *recorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.reads = append(r.reads, sourceRead{len(p), n})
	return n, err
}

// errBroken fails a source part of the way through.
var errBroken = errors.New("the disk went away")

// failAfter gives n bytes of r and then fails, for ever.
type failAfter struct {
	r io.Reader
	n int
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errBroken
	}
	n, err := f.r.Read(p[:min(len(p), f.n)])
	f.n -= n
	return n, err
}

// csvSource is how a test's input reaches the readers.
type csvSource struct {
	name string
	wrap func(io.Reader) io.Reader
}

var csvSources = []csvSource{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"byte by byte", iotest.OneByteReader},
	{"halves", iotest.HalfReader},
	{"EOF with data", iotest.DataErrReader},
}

// readEncodingCSV reads in as followrank read CSV files with encoding/csv:
// through a bufio.Reader of size bytes, peeked at for peek bytes first,
// with LazyQuotes, any number of fields and the record reused. It stops at
// io.EOF or the first error.
func readEncodingCSV(src io.Reader, comma byte, size, peek int) ([]csvRead, []sourceRead) {
	rec := &recorder{r: src}
	br := bufio.NewReaderSize(rec, size)
	if peek > 0 {
		br.Peek(peek)
	}
	r := csv.NewReader(br)
	r.Comma = rune(comma)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var got []csvRead
	for {
		cells, err := r.Read()
		if err != nil {
			got = append(got, csvRead{Err: err, reads: len(rec.reads)})
			return got, rec.reads
		}
		first, _ := r.FieldPos(0)
		last, _ := r.FieldPos(len(cells) - 1)
		got = append(got, csvRead{Cells: append([]string(nil), cells...), Line: first, Last: last, Offset: r.InputOffset(), reads: len(rec.reads)})
	}
}

// readSheetCSV is readEncodingCSV with csvReader.
func readSheetCSV(src io.Reader, comma byte, size, peek int) ([]csvRead, []sourceRead) {
	rec := &recorder{r: src}
	r := newCSVReader(rec, size)
	r.comma = comma
	if peek > 0 {
		r.peek(peek)
	}
	var got []csvRead
	for {
		cells, err := r.Read()
		if err != nil {
			got = append(got, csvRead{Err: err, reads: len(rec.reads)})
			return got, rec.reads
		}
		first, last := r.lines()
		got = append(got, csvRead{Cells: append([]string(nil), cells...), Line: first, Last: last, Offset: r.offset, reads: len(rec.reads)})
	}
}

// sameAsEncodingCSV fails t where csvReader reads in otherwise than
// encoding/csv: a record, a line, an offset, an error, or a read of the
// source of another size or at another time. encoding/csv puts a buffer of
// its own, of 4,096 bytes, over a smaller one; csvReader is held to it
// with smaller buffers too, but for the reads of the source.
func sameAsEncodingCSV(t *testing.T, in []byte, comma byte, size, peek, failAt int, source csvSource) {
	t.Helper()
	src := func() io.Reader {
		var r io.Reader = strings.NewReader(string(in))
		if failAt >= 0 {
			r = &failAfter{r: r, n: failAt}
		}
		return source.wrap(r)
	}
	size = max(size, 16)
	want, wantReads := readEncodingCSV(src(), comma, max(size, 4096), peek)
	got, gotReads := readSheetCSV(src(), comma, size, peek)
	if size < 4096 {
		for i := range want {
			want[i].reads = 0
		}
		for i := range got {
			got[i].reads = 0
		}
		gotReads, wantReads = nil, nil
	}
	what := fmt.Sprintf("%q (comma %q, buffer %d, peek %d, failing after %d, read %s)", cut(string(in)), comma, size, peek, failAt, source.name)
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("%s: read %d = %s, encoding/csv %s", what, i, cut(fmt.Sprintf("%+v", got[i])), cut(fmt.Sprintf("%+v", want[i])))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d reads, encoding/csv %d", what, len(got), len(want))
	}
	if !reflect.DeepEqual(gotReads, wantReads) {
		t.Fatalf("%s: reads of the source %s, encoding/csv's %s", what, cut(fmt.Sprint(gotReads)), cut(fmt.Sprint(wantReads)))
	}
}

// cut shortens a long input for a message.
func cut(s string) string {
	if len(s) > 300 {
		return s[:150] + " … " + s[len(s)-150:]
	}
	return s
}

// csvCases are inputs whose records are easy to get wrong.
var csvCases = []string{
	"",
	"\n",
	"\r",
	"\r\n",
	"\n\n\r\n\n",
	"a",
	"a\n",
	"a\r",
	"a\r\n",
	"a\r\r\n",
	"a\rb\n",
	"a,b,c\n1,2,3\n",
	"a,b,c\r\n1,2,3\r\n",
	"a,b,c\n1,2,3",
	"a,b,c\n1,2,3\r",
	",\n,,\n,,,\r\n",
	"a,b,\n,b,c\n",
	" a , b \n\t1\t,2\n",
	"全国各县（市、区）关注情况统计表\n序号,区划代码,单位,日期,离退休干部数,关注人数,阅读\n1,110101,东城区,2024-06-30,2618,1665,12\n2,110102,西城区,2024-06-30,1789,859,7\n合计,,,,4407,2524,19\n",
	"地区,关注率\n谯城区,85.3%\n涡阳县,\"85.3%\"\n",
	"\"a\",\"b\"\n",
	"\"a,b\",c\n",
	"\"a\nb\",c\nd,e\n",
	"\"a\r\nb\",c\r\nd,e\r\n",
	"x,\"a\n\nb\n\",c\nd\n",
	"\"a\"\"b\",\"\"\"\",\"\"\n",
	"\"\"\n\"\"\"\"\n",
	"a\"b,c\"d\"\n",
	"\"a\"b,c\n",
	"\"a\"b\"\n",
	"\"a\" ,b\n",
	"abc\"\n",
	"\"abc\n",
	"\"abc",
	"a,\"b\n",
	"a,\"b\nc,d\ne,f",
	"\"a\",\n",
	"\"a\"\r\n",
	"\"a\"\r",
	"\"a\"",
	"\"\r\n\"\r\n",
	"\"a\rb\",c\n",
	"a,b\n\n\nc,d\n\r\n",
	"\"\n\n\n\"\n",
	"x\n\"\n",
	"1,\"2\"\n3,4\n\"5\n6\",7\n8,9\n",
	"\xff\xfe,\x00,\x80\"\x80\n\"\xff\"\xfe\n",
	"\ufeff序号,单位\n1,\"东城区\"\n",
	"a;b;\"c;d\"\nx;y;z\n",
	"a\tb\t\"c\td\"\nx\ty\tz\n",
	strings.Repeat("abcdefghi,", 30) + "\n" + strings.Repeat("x", 100) + "\n",
	"\"" + strings.Repeat("abc,\n", 40) + "\",end\nlast\n",
	strings.Repeat("1,东城区,2024-06-30,2618\n", 400),
	strings.Repeat("1,东城区,2024-06-30,2618\n", 200) + "\"" + strings.Repeat("a,b\n", 300) + "\"\n" + strings.Repeat("2,西城区\n", 200),
	strings.Repeat("y", 5000) + "\nz\n" + strings.Repeat("w", 9000),
}

// csvReader reads every case as encoding/csv does, through buffers of
// several sizes (many smaller than a line), sources that give a byte at a
// time, and sources that fail part of the way.
func TestCSVMatchesEncodingCSV(t *testing.T) {
	for _, in := range csvCases {
		for _, src := range csvSources {
			for _, size := range []int{16, 64, 4096, 1 << 16} {
				for _, comma := range []byte{',', ';', '\t'} {
					sameAsEncodingCSV(t, []byte(in), comma, size, 0, -1, src)
				}
				for _, peek := range []int{7, 64 << 10} {
					sameAsEncodingCSV(t, []byte(in), ',', size, peek, -1, src)
				}
				for _, failAt := range []int{0, 1, 2, 5, 13, len(in) / 2, len(in) - 1} {
					sameAsEncodingCSV(t, []byte(in), ',', size, 0, failAt, src)
				}
			}
		}
	}
}

// A CSV file opened reads, through Open, as encoding/csv reads the file's
// text: quoted cells over lines, doubled and stray quotes, CR LF, lines with
// and without quotes side by side, in UTF-8, with a byte-order mark, and in
// GB18030.
func TestOpenCSVMatchesEncodingCSV(t *testing.T) {
	var b strings.Builder
	b.WriteString("全国各县（市、区）关注情况统计表（截至2024年6月30日）\r\n")
	b.WriteString("序号,区划代码,单位,日期,\"离退休\n干部数\",关注人数,阅读\r\n")
	for i := range 20_000 {
		switch i % 97 {
		case 3:
			fmt.Fprintf(&b, "%d,110101,\"东城区\",2024-06-30,\"1,%03d\",\"%d\",\"12\"\r\n", i+1, i%1000, i%900)
		case 5:
			fmt.Fprintf(&b, "%d,110101,东\"城区,2024-06-30,%d,%d,\"\"\"7\"\"\"\r\n", i+1, 1000+i, i%900)
		case 7:
			fmt.Fprintf(&b, "\r\n%d,110101,\"东城\r\n区\",2024-06-30,%d,%d,\r\n", i+1, 1000+i, i%900)
		default:
			fmt.Fprintf(&b, "%d,110101,东城区,2024-06-30,%d,%d,%d\r\n", i+1, 1000+i, i%900, i%500)
		}
	}
	b.WriteString("合计,,,,\"85.3%\",,\r\n制表人：张三")
	text := b.String()
	r := csv.NewReader(strings.NewReader(text))
	r.LazyQuotes, r.FieldsPerRecord = true, -1
	want, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range []struct {
		name, enc string
		data      []byte
	}{
		{"utf8.csv", "CSV, UTF-8", []byte(text)},
		{"bom.csv", "CSV, UTF-8 with BOM", append([]byte("\ufeff"), text...)},
		{"gbk.csv", "CSV, GB18030/GBK", gbk(t, text)},
	} {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		tables, desc, err := Open(path, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := readTable(tables[0])
		closeAll(tables)
		if err != nil || desc != f.enc {
			t.Fatalf("%s: %q, %v", f.name, desc, err)
		}
		for i := range min(len(got), len(want)) {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("%s: row %d = %q, want %q", f.name, i, got[i], want[i])
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", f.name, len(got), len(want))
		}
	}
}

// Rows keep the line they start on: after empty lines, and after a quoted
// cell that spans lines.
func TestCSVLineNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lines.csv")
	in := "标题\n\n地区,离退休干部数,关注人数\r\n谯城区,\"26\n18\",1665\n\r\n\n涡阳县,1789,859\n\"蒙城\n\n县\",1,1\n利辛县,2,2"
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	tables, _, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(tables)
	var lines []int
	for {
		r, err := tables[0].Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, r.Line)
	}
	if want := []int{1, 3, 4, 8, 9, 12}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines %v, want %v", lines, want)
	}
}

// FuzzCSVMatchesEncodingCSV holds csvReader to encoding/csv on any input,
// separator, buffer size and place where the source fails.
func FuzzCSVMatchesEncodingCSV(f *testing.F) {
	for i, in := range csvCases {
		f.Add([]byte(in), byte(i%3), uint16(16+i*7), int16(-1), uint8(i%4))
	}
	f.Add([]byte("a,\"b\nc\",d\ne,f\n"), byte(0), uint16(16), int16(9), uint8(1))
	f.Fuzz(func(t *testing.T, in []byte, comma byte, size uint16, failAt int16, source uint8) {
		sep := []byte{',', ';', '\t'}[int(comma)%3]
		src := csvSources[int(source)%len(csvSources)]
		peek := 0
		if size%2 == 1 {
			peek = int(size) / 3
		}
		sameAsEncodingCSV(t, in, sep, int(size%8192), peek, int(failAt), src)
	})
}

// split finds every separator, and any quote, at every place in a line,
// and bytes that differ from a separator by one bit are no separator.
func TestSplit(t *testing.T) {
	for _, comma := range []byte{',', ';', '\t'} {
		for n := range 20 {
			for at := range n {
				for _, c := range []byte{comma, '"', comma ^ 1, comma ^ 0x80, '"' ^ 0x80, 0} {
					b := []byte(strings.Repeat("东", 7))[:n]
					b[at] = c
					line := string(b)
					got, quoted := split(nil, line, comma)
					if wantQuoted := c == '"'; quoted != wantQuoted {
						t.Fatalf("split(%q, %q) says quoted %v", line, comma, quoted)
					}
					if want := strings.Split(line, string(comma)); !quoted && !reflect.DeepEqual(got, want) {
						t.Fatalf("split(%q, %q) = %q, want %q", line, comma, got, want)
					}
				}
			}
		}
	}
}
