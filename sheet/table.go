// Package sheet reads figure sheets as offices save them: CSV in UTF-8,
// GB18030/GBK or UTF-16 (told apart by their bytes), and workbooks with
// merged cells, XLSX and Excel 97-2003's .xls (and WPS's .et, the same
// format), as streams of rows; and the values in their cells:
// counts written 1,234 or 1234人, rates written 85.3% or 0.853, and dates
// written every way a Chinese office writes them. What the rows mean is
// ingest's business.
package sheet

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Row is one row of a sheet and the line (or spreadsheet row) it came from.
// Its Cells slice may be reused by the table's next row, and the cells of
// a CSV file's nearby rows share their bytes: a cell kept keeps its
// neighbours' too, so what is kept from many rows (map keys, say) is best
// kept as copies (strings.Clone).
type Row struct {
	Line  int
	Cells []string
}

// Table is a stream of rows: a CSV file or one sheet of a workbook.
type Table interface {
	// Name says where rows come from in messages: "june.csv" or "may.xlsx[全省]".
	Name() string
	// Sheet is the worksheet's name as the workbook has it ("2024年1月"),
	// and "" for a CSV file or rows from memory.
	Sheet() string
	// Next returns the next row, or io.EOF after the last.
	Next() (Row, error)
	Close() error
}

// Encodings a CSV file may be in, as Open describes them.
const (
	EncUTF8    = "UTF-8"
	EncUTF8BOM = "UTF-8 with BOM"
	EncGB18030 = "GB18030/GBK"
	EncUTF16   = "UTF-16"
)

var (
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	bomUTF8  = []byte{0xEF, 0xBB, 0xBF}
	// Excel's "Unicode Text" is UTF-16, little-endian, with a byte-order mark.
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Open opens a sheet file by its content, not its name: a workbook saved
// as .csv is still read as a workbook. It gives a table for each visible
// sheet of a workbook that has cells (Excel's empty Sheet2 and Sheet3 are
// skipped); sheet limits a workbook to the sheet of that name, hidden or
// not. The description says what was opened: "XLSX", "XLS", "WPS ET", or
// CSV and its encoding. The caller closes every table.
//
// Open never waits on what is not a regular file (a directory, a named
// pipe, a device), and bounds what a hostile file may cost: a CSV line over
// 2 MiB, a sheet whose first 100,000 rows are empty, a workbook whose parts
// unpack to too much are errors.
func Open(path, sheet string) (tables []Table, description string, err error) {
	return OpenContext(context.Background(), path, sheet)
}

// OpenContext is Open that stops when ctx is done: opening, and every Next
// of the tables it gives, then return ctx.Err() (context.Canceled or
// context.DeadlineExceeded, unwrapped). The tables keep ctx.
func OpenContext(ctx context.Context, path, sheet string) (tables []Table, description string, err error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	f, err := openRegular(path)
	if err != nil {
		return nil, "", err
	}
	head := make([]byte, 8192)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	f.Close()
	utf16 := bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE)
	switch {
	case n == 0:
		return nil, "", errors.New("the file is empty")
	case bytes.HasPrefix(head, magicOLE):
		return openXLS(ctx, path, sheet)
	case bytes.HasPrefix(head, magicZip) && isODF(head):
		return nil, "", odfError(head)
	case bytes.HasPrefix(head, magicZip):
		return openWorkbook(ctx, path, sheet)
	case bytes.HasPrefix(head, []byte("%PDF")):
		return nil, "", errors.New("this is a PDF, not a figure sheet; import the XLSX or CSV it was made from")
	case !utf16 && bytes.IndexByte(head, 0) >= 0:
		return nil, "", errors.New("this is a binary file (it holds NUL bytes), not a CSV, XLSX or XLS figure sheet")
	}
	if sheet != "" {
		return nil, "", fmt.Errorf("--sheet %q applies to workbooks (XLSX, XLS), and this is a CSV file", sheet)
	}
	t, enc, err := openCSV(ctx, path)
	if err != nil {
		return nil, "", err
	}
	return []Table{t}, "CSV, " + enc, nil
}

// openRegular opens a file to read, having made sure, before opening it,
// that it is a regular file: opening a named pipe waits for a writer, for
// ever, and a device or a directory is no sheet.
func openRegular(path string) (*os.File, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := notRegular(path, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	// The file may have been replaced between the two looks.
	if fi, err := f.Stat(); err != nil || notRegular(path, fi) != nil {
		f.Close()
		if err == nil {
			err = notRegular(path, fi)
		}
		return nil, err
	}
	return f, nil
}

// notRegular says what a file that is not a regular file is, or returns nil.
func notRegular(path string, fi os.FileInfo) error {
	name := filepath.Base(path)
	m := fi.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fmt.Errorf("%s is a directory, not a figure sheet; name a file in it", name)
	case m&os.ModeNamedPipe != 0:
		return fmt.Errorf("%s is not a regular file: it is a named pipe (FIFO); save the sheet to a file and import that", name)
	case m&os.ModeSocket != 0:
		return fmt.Errorf("%s is not a regular file: it is a socket", name)
	case m&os.ModeDevice != 0:
		return fmt.Errorf("%s is not a regular file: it is a device", name)
	}
	return fmt.Errorf("%s is not a regular file", name)
}

// detectEncoding reads the whole file once: UTF-8 when every byte sequence
// is valid UTF-8, otherwise GB18030 (a superset of GBK, what Chinese Excel
// writes for "CSV").
func detectEncoding(ctx context.Context, r io.Reader) (string, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	if b, _ := br.Peek(3); bytes.Equal(b, bomUTF8) {
		return EncUTF8BOM, nil
	}
	if b, _ := br.Peek(2); bytes.Equal(b, bomUTF16LE) || bytes.Equal(b, bomUTF16BE) {
		return EncUTF16, nil
	}
	buf := make([]byte, 1<<20)
	carry := 0
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		n, err := io.ReadFull(br, buf[carry:])
		n += carry
		if n == 0 && err != nil {
			break
		}
		chunk := buf[:n]
		// Keep an incomplete rune at the end for the next chunk.
		cut := len(chunk)
		if err == nil {
			for i := 1; i <= 3 && i <= len(chunk); i++ {
				if utf8.RuneStart(chunk[len(chunk)-i]) {
					if !utf8.FullRune(chunk[len(chunk)-i:]) {
						cut = len(chunk) - i
					}
					break
				}
			}
		}
		if !utf8.Valid(chunk[:cut]) {
			return EncGB18030, nil
		}
		carry = copy(buf, chunk[cut:])
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			return "", err
		}
	}
	if carry > 0 {
		return EncGB18030, nil
	}
	return EncUTF8, nil
}

// Bounds on what a CSV file may make the reader hold. A figure sheet's
// lines are a few hundred bytes; a megabyte cell is still read (and
// rejected by the caller as too long), a file of one endless line is not.
const (
	maxLine   = 2 << 20 // bytes of one line, decoded
	maxRecord = 8 << 20 // bytes of one record, whose quoted cells may span lines
)

type csvTable struct {
	ctx  context.Context
	name string
	file *os.File
	src  *lineLimit
	r    *csvReader
}

func openCSV(ctx context.Context, path string) (*csvTable, string, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, "", err
	}
	enc, err := detectEncoding(ctx, f)
	if err != nil {
		f.Close()
		return nil, "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, "", err
	}
	var src io.Reader = f
	switch enc {
	case EncUTF8BOM:
		if _, err := f.Seek(3, io.SeekStart); err != nil {
			f.Close()
			return nil, "", err
		}
	case EncGB18030:
		src = transform.NewReader(f, simplifiedchinese.GB18030.NewDecoder())
	case EncUTF16:
		// The byte-order mark says which end comes first, and is dropped.
		src = transform.NewReader(f, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	}
	// Old Mac exporters end lines with CR alone, which encoding/csv takes
	// for one endless line: where the first lines have CR and no LF, CR is
	// read as LF.
	pre := bufio.NewReaderSize(src, 64<<10)
	if head, _ := pre.Peek(64 << 10); bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		src = &crToLF{r: pre}
	} else {
		src = pre
	}
	lim := &lineLimit{r: src, line: 1}
	r := newCSVReader(lim, 1<<20)
	r.comma = sniffDelimiter(r.peek(64 << 10))
	return &csvTable{ctx: ctx, name: filepath.Base(path), file: f, src: lim, r: r}, enc, nil
}

// crToLF reads lines ended by CR, or CR LF, as lines ended by LF.
type crToLF struct {
	r      io.Reader
	lastCR bool
}

func (c *crToLF) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		k := 0
		for _, b := range p[:n] {
			switch {
			case b == '\r':
				b = '\n'
				c.lastCR = true
			case b == '\n' && c.lastCR:
				c.lastCR = false
				continue // the LF of CR LF
			default:
				c.lastCR = false
			}
			p[k] = b
			k++
		}
		// A read of nothing but the LF of a CR LF returns nothing; read on.
		if k > 0 || n == 0 || err != nil {
			return k, err
		}
	}
}

// lineLimit passes a decoded CSV stream through, counting its lines, and
// fails it at a line longer than maxLine, or a record (whose quoted cells
// may span lines) longer than maxRecord, without holding either.
type lineLimit struct {
	r     io.Reader
	line  int   // the line being read, from 1
	run   int   // bytes since the last LF
	total int64 // bytes passed on
	// The offset where the record being read starts, and the line after
	// the last record read, which csvTable sets after each record.
	recordStart int64
	recordLine  int
	err         error
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for b := p[:n]; l.run <= maxLine; {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.run += len(b)
			break
		}
		if l.run += i; l.run > maxLine {
			break
		}
		l.run = 0
		l.line++
		b = b[i+1:]
	}
	l.total += int64(n)
	if l.run > maxLine {
		l.err = fmt.Errorf("line %d is longer than %d MiB; this is not a figure sheet", l.line, maxLine>>20)
	} else if l.total-l.recordStart > maxRecord {
		l.err = fmt.Errorf("from line %d on, a quoted cell runs on for over %d MiB (a quote is not closed); this is not a figure sheet", max(l.recordLine, 1), maxRecord>>20)
	}
	if l.err != nil {
		return 0, l.err
	}
	return n, err
}

// sniffDelimiter picks the field separator from the first lines: a comma
// unless tabs or semicolons clearly separate the fields instead.
func sniffDelimiter(head []byte) byte {
	counts := map[rune]int{}
	lines := 0
	for _, line := range strings.SplitN(string(head), "\n", 12) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		for _, c := range []rune{',', '\t', ';'} {
			counts[c] += strings.Count(line, string(c))
		}
	}
	best := ','
	for _, c := range []rune{'\t', ';'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return byte(best)
}

func (t *csvTable) Name() string  { return t.name }
func (t *csvTable) Sheet() string { return "" }

func (t *csvTable) Next() (Row, error) {
	if err := t.ctx.Err(); err != nil {
		return Row{}, err
	}
	rec, err := t.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Row{}, io.EOF
		}
		return Row{}, err
	}
	line, last := t.r.lines()
	t.src.recordStart, t.src.recordLine = t.r.offset, last+1
	return Row{Line: line, Cells: rec}, nil
}

func (t *csvTable) Close() error { return t.file.Close() }

// Rows serves rows already in memory, such as a JSON submission, as a
// table: rows[i] is reported as line i.
func Rows(name string, rows [][]string) Table { return &memTable{name: name, rows: rows} }

// memTable serves rows from memory.
type memTable struct {
	name string
	rows [][]string
	next int
}

func (t *memTable) Name() string  { return t.name }
func (t *memTable) Sheet() string { return "" }
func (t *memTable) Close() error  { return nil }
func (t *memTable) Next() (Row, error) {
	if t.next >= len(t.rows) {
		return Row{}, io.EOF
	}
	t.next++
	return Row{Line: t.next - 1, Cells: t.rows[t.next-1]}, nil
}

// onlySheet picks the sheet named only (--sheet) among a workbook's, or all
// of them when only is empty; an unknown name is an error listing the
// sheets there are.
func onlySheet[S any](all []S, name func(S) string, only string) ([]S, error) {
	if only == "" {
		return all, nil
	}
	var names []string
	for _, s := range all {
		if name(s) == only {
			return []S{s}, nil
		}
		names = append(names, name(s))
	}
	return nil, fmt.Errorf("no sheet %q; the workbook has %s", only, strings.Join(names, ", "))
}
