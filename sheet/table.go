// Package sheet reads figure sheets as offices save them: CSV in UTF-8,
// GB18030/GBK or UTF-16 (told apart by their bytes), and workbooks with
// merged cells, XLSX and Excel 97-2003's .xls (and WPS's .et, the same
// format), as streams of rows; and the values in their cells:
// counts written 1,234 or 1234人, rates written 85.3% or 0.853, and dates
// written every way a Chinese office writes them. What the rows mean is
// ingest's business.
package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Row is one row of a sheet and the line (or spreadsheet row) it came from.
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

// xlsxLimits bound what opening a workbook may unpack, so that a zip bomb is
// refused instead of filling the memory.
var xlsxLimits = excelize.Options{UnzipSizeLimit: 512 << 20, UnzipXMLSizeLimit: 128 << 20}

// Open opens a sheet file by its content, not its name: a workbook saved
// as .csv is still read as a workbook. It gives a table for each visible
// sheet of a workbook that has cells (Excel's empty Sheet2 and Sheet3 are
// skipped); sheet limits a workbook to the sheet of that name, hidden or
// not. The description says what was opened: "XLSX", "XLS", "WPS ET", or
// CSV and its encoding. The caller closes every table.
func Open(path, sheet string) (tables []Table, description string, err error) {
	f, err := os.Open(path)
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
		return openXLS(path, sheet)
	case bytes.HasPrefix(head, magicZip) && isODF(head):
		return nil, "", odfError(head)
	case bytes.HasPrefix(head, magicZip):
		return openWorkbook(path, sheet)
	case bytes.HasPrefix(head, []byte("%PDF")):
		return nil, "", errors.New("this is a PDF, not a figure sheet; import the XLSX or CSV it was made from")
	case !utf16 && bytes.IndexByte(head, 0) >= 0:
		return nil, "", errors.New("this is a binary file (it holds NUL bytes), not a CSV, XLSX or XLS figure sheet")
	}
	if sheet != "" {
		return nil, "", fmt.Errorf("--sheet %q applies to workbooks (XLSX, XLS), and this is a CSV file", sheet)
	}
	t, enc, err := openCSV(path)
	if err != nil {
		return nil, "", err
	}
	return []Table{t}, "CSV, " + enc, nil
}

// detectEncoding reads the whole file once: UTF-8 when every byte sequence
// is valid UTF-8, otherwise GB18030 (a superset of GBK, what Chinese Excel
// writes for "CSV").
func detectEncoding(r io.Reader) (string, error) {
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

type csvTable struct {
	name string
	file *os.File
	r    *csv.Reader
}

func openCSV(path string) (*csvTable, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	enc, err := detectEncoding(f)
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
	br := bufio.NewReaderSize(src, 1<<20)
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	r.Comma = sniffDelimiter(br)
	return &csvTable{name: filepath.Base(path), file: f, r: r}, enc, nil
}

// sniffDelimiter picks the field separator from the first lines: a comma
// unless tabs or semicolons clearly separate the fields instead.
func sniffDelimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(64 << 10)
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
	return best
}

func (t *csvTable) Name() string  { return t.name }
func (t *csvTable) Sheet() string { return "" }

func (t *csvTable) Next() (Row, error) {
	rec, err := t.r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Row{}, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return Row{}, fmt.Errorf("line %d: %v", pe.Line, pe.Err)
		}
		return Row{}, err
	}
	line, _ := t.r.FieldPos(0)
	return Row{Line: line, Cells: rec}, nil
}

func (t *csvTable) Close() error { return t.file.Close() }

// sheetTable streams one worksheet, with the value of a merged range
// repeated in each of its cells (a merged "亳州市" beside four counties
// belongs to each of them).
type sheetTable struct {
	name          string
	sheet         string
	rows          *excelize.Rows
	line          int
	merged        map[int]map[int]string // row → column → value, 1-based
	first         *Row                   // the first row with a value, read ahead by Open
	closeWorkbook func() error           // set on the workbook's last sheet
}

func openWorkbook(path, only string) ([]Table, string, error) {
	wb, err := excelize.OpenFile(path, xlsxLimits)
	if err != nil {
		if mime := zipMimetype(path); strings.HasPrefix(mime, odfMime) {
			return nil, "", odfError([]byte(mime))
		}
		return nil, "", fmt.Errorf("cannot read the workbook (damaged, encrypted or not XLSX): %w", err)
	}
	names := wb.GetSheetList()
	if only != "" {
		found := false
		for _, n := range names {
			found = found || n == only
		}
		if !found {
			wb.Close()
			return nil, "", fmt.Errorf("no sheet %q; the workbook has %s", only, strings.Join(names, ", "))
		}
		names = []string{only}
	}
	var tables []Table
	var hidden []string
	fail := func(err error) ([]Table, string, error) {
		for _, t := range tables {
			t.(*sheetTable).rows.Close()
		}
		wb.Close()
		return nil, "", err
	}
	for _, name := range names {
		rows, err := wb.Rows(name)
		if err != nil {
			continue // a chart sheet or macro sheet: no cells to read
		}
		merged := map[int]map[int]string{}
		ranges, err := wb.GetMergeCells(name)
		if err != nil {
			rows.Close()
			return fail(fmt.Errorf("sheet %s: %w", name, err))
		}
		for _, m := range ranges {
			c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
			c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
			if err1 != nil || err2 != nil || (r2-r1+1)*(c2-c1+1) > 100_000 {
				continue
			}
			for r := r1; r <= r2; r++ {
				if merged[r] == nil {
					merged[r] = map[int]string{}
				}
				for c := c1; c <= c2; c++ {
					merged[r][c] = m.GetCellValue()
				}
			}
		}
		t := &sheetTable{name: filepath.Base(path) + "[" + name + "]", sheet: name, rows: rows, merged: merged}
		// Read up to the first row with a value: a sheet without one, as
		// Excel's Sheet2 and Sheet3, is no table.
		for t.first == nil {
			r, err := t.read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows.Close()
				return fail(fmt.Errorf("sheet %s: %w", name, err))
			}
			for _, c := range r.Cells {
				if c != "" {
					t.first = &r
					break
				}
			}
		}
		if t.first == nil {
			rows.Close()
			continue
		}
		if vis, _ := wb.GetSheetVisible(name); !vis && only == "" {
			hidden = append(hidden, name)
			rows.Close()
			continue
		}
		// The rows above the first are served again, empty, from the top.
		t.line = 0
		tables = append(tables, t)
	}
	if len(tables) == 0 {
		wb.Close()
		return nil, "", noCells(only, hidden)
	}
	// The workbook stays open until the last sheet is closed.
	last := tables[len(tables)-1].(*sheetTable)
	last.closeWorkbook = wb.Close
	return tables, "XLSX", nil
}

func (t *sheetTable) Name() string  { return t.name }
func (t *sheetTable) Sheet() string { return t.sheet }

func (t *sheetTable) Next() (Row, error) {
	if t.first != nil {
		t.line++
		if t.line < t.first.Line {
			return Row{Line: t.line}, nil
		}
		r := *t.first
		t.first = nil
		return r, nil
	}
	return t.read()
}

// read reads the next row of the sheet, filling in merged ranges.
func (t *sheetTable) read() (Row, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return Row{}, err
		}
		return Row{}, io.EOF
	}
	t.line++
	cells, err := t.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return Row{}, fmt.Errorf("row %d: %w", t.line, err)
	}
	for col, v := range t.merged[t.line] {
		for len(cells) < col {
			cells = append(cells, "")
		}
		if cells[col-1] == "" {
			cells[col-1] = v
		}
	}
	return Row{Line: t.line, Cells: cells}, nil
}

func (t *sheetTable) Close() error {
	err := t.rows.Close()
	if t.closeWorkbook != nil {
		if cerr := t.closeWorkbook(); err == nil {
			err = cerr
		}
	}
	return err
}

// OpenDocument files are zips whose first entry, "mimetype", is stored
// uncompressed, so that its text shows in the first bytes.
const odfMime = "application/vnd.oasis.opendocument."

func isODF(head []byte) bool {
	return bytes.Contains(head[:min(len(head), 256)], []byte("mimetype"+odfMime))
}

// odfError says what an OpenDocument file is; b holds its mimetype.
func odfError(b []byte) error {
	i := bytes.Index(b, []byte(odfMime))
	kind := string(b[i+len(odfMime):])
	if j := strings.IndexFunc(kind, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '-') }); j >= 0 {
		kind = kind[:j]
	}
	if kind == "spreadsheet" {
		return errors.New("this is an OpenDocument spreadsheet (.ods); save it as .xlsx or .xls")
	}
	return fmt.Errorf("this is an OpenDocument %s, not a figure sheet; import the XLSX, XLS or CSV its figures came from", kind)
}

// zipMimetype returns the mimetype entry of a zip, if it has one.
func zipMimetype(path string) string {
	z, err := zip.OpenReader(path)
	if err != nil {
		return ""
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != "mimetype" || f.UncompressedSize64 > 256 {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return ""
		}
		b, _ := io.ReadAll(io.LimitReader(r, 256))
		r.Close()
		return string(b)
	}
	return ""
}

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
