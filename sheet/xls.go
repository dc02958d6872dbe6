package sheet

// Excel 97-2003 workbooks (.xls) and WPS's .et: BIFF8 records in the
// "Workbook" stream of an OLE2 compound file ([MS-CFB], [MS-XLS]). The
// compound file is read with mscfb; the records here, since no maintained
// Go library reads merged ranges, formula results and hidden sheets
// together. Only values are read, never formatting, except to tell a date
// cell of a workbook that counts from 1904.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// Bounds on what a hostile or damaged .xls may make this reader hold.
const (
	maxXLSStream = 64 << 20 // bytes of the workbook stream, read whole
	maxXLSCells  = 2 << 20  // value cells of one sheet, and of the sheets being read
	maxXLSMerged = 1 << 18  // cells that the merged ranges of one sheet cover
)

// BIFF8 record types read here ([MS-XLS] 2.3).
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recDateMode   = 0x0022
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recRString    = 0x00D6
	recXF         = 0x00E0
	recMergeCells = 0x00E5
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recBlank      = 0x0201
	recMulBlank   = 0x00BE
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recRK         = 0x027E
	recFormat     = 0x041E
	recBOF        = 0x0809
)

// errNotWorksheet marks a sheet substream that holds no cells to read: a
// chart sheet, a macro sheet or a VBA module.
var errNotWorksheet = errors.New("not a worksheet")

// xlsBook is a workbook stream read into memory with its globals parsed.
type xlsBook struct {
	ctx      context.Context // when done, reading stops; nil reads on
	file     string          // the file's base name, for messages
	stream   []byte
	sst      []string
	xfFormat []uint16        // cell format (XF) index → number format index
	custom   map[uint16]bool // custom number format index → it shows a date
	date1904 bool
	sheets   []xlsSheet
	held     int // cells that the sheets read hold, up to maxXLSCells
}

type xlsSheet struct {
	name   string
	pos    int  // offset of the sheet's BOF record in the stream
	state  byte // 0 visible, 1 hidden, 2 very hidden
	kind   byte // 0 worksheet or dialog, 1 macro, 2 chart, 6 VBA module
	hidden bool
}

// xlsCell is one value cell, 0-based, and where its value lies in the
// workbook stream: twelve bytes, where the value itself would take two or
// three times that, so that a sheet of millions of cells costs tens of
// megabytes. The value is read when its row is served.
type xlsCell struct {
	row  uint32
	col  uint16
	kind uint8  // cellSST, cellNumber…
	off  uint32 // the offset of the record's data in the stream (see value)
}

// Kinds of cell value, by the record that holds it.
const (
	cellSST       = iota + 1 // LABELSST
	cellLabel                // LABEL or RSTRING
	cellNumber               // NUMBER, or FORMULA with a number result
	cellRK                   // RK
	cellMulRK                // one of a MULRK's cells: off is its XF index, then its RK
	cellBoolErr              // BOOLERR
	cellFormulaBE            // FORMULA with a Boolean or error result
	cellString               // a formula's string result: off is the STRING record's header
)

// openXLS opens an Excel 97-2003 or WPS workbook as openWorkbook does an
// XLSX one: each visible sheet with cells is a table (or only the named
// sheet), and a damaged file is an error naming it, never a panic.
func openXLS(ctx context.Context, path, only string) (tables []Table, description string, err error) {
	base := filepath.Base(path)
	description = "XLS"
	if strings.EqualFold(filepath.Ext(path), ".et") {
		description = "WPS ET"
	}
	defer func() {
		if r := recover(); r != nil {
			tables, description = nil, ""
			err = fmt.Errorf("%s: cannot read the Excel 97-2003 (.xls) workbook: it is damaged (%v)", base, r)
		}
	}()
	stream, err := workbookStream(path)
	if err != nil {
		return nil, "", err
	}
	book, err := readGlobals(stream)
	if err != nil {
		return nil, "", fmt.Errorf("%s: cannot read the Excel 97-2003 (.xls) workbook: %w", base, err)
	}
	book.file = base
	book.ctx = ctx
	sheets, err := onlySheet(book.sheets, func(s xlsSheet) string { return s.name }, only)
	if err != nil {
		return nil, "", err
	}
	var hidden []string
	for _, s := range sheets {
		if s.kind != 0 {
			continue // a chart, macro sheet or VBA module: no cells to read
		}
		cells, _, err := book.readSheet(s, true)
		if errors.Is(err, errNotWorksheet) {
			continue
		}
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		if err != nil {
			return nil, "", fmt.Errorf("%s: cannot read sheet %s of the Excel 97-2003 (.xls) workbook: %w", base, s.name, err)
		}
		if len(cells) == 0 {
			continue // Excel's empty Sheet2 and Sheet3
		}
		if s.hidden && only == "" {
			hidden = append(hidden, s.name)
			continue
		}
		tables = append(tables, &xlsTable{book: book, name: base + "[" + s.name + "]", info: s})
	}
	if len(tables) == 0 {
		return nil, "", noCells(only, hidden)
	}
	return tables, description, nil
}

// noCells explains why a workbook gave no table.
func noCells(only string, hidden []string) error {
	switch {
	case only != "":
		return fmt.Errorf("sheet %q has no cells", only)
	case len(hidden) > 0:
		return fmt.Errorf("the workbook has no cells in its visible sheets; the hidden sheet %s is not read unless named with --sheet", strings.Join(hidden, ", "))
	}
	return errors.New("the workbook has no cells")
}

// workbookStream reads the workbook stream out of the compound file, or
// says what else the file is.
func workbookStream(path string) ([]byte, error) {
	base := filepath.Base(path)
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := mscfb.New(f)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read the Excel 97-2003 (.xls) workbook: its OLE2 container is damaged or cut short (%v)", base, err)
	}
	var book *mscfb.File
	var names []string
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if len(e.Path) > 0 {
			continue // inside a storage: an embedded object
		}
		names = append(names, e.Name)
		switch strings.ToLower(e.Name) {
		case "workbook":
			book = e
		case "book":
			if book == nil {
				book = e
			}
		}
	}
	has := func(name string) bool {
		for _, n := range names {
			if strings.EqualFold(n, name) {
				return true
			}
		}
		return false
	}
	switch {
	case book != nil && strings.EqualFold(book.Name, "book"):
		return nil, fmt.Errorf("%s is an Excel 5.0/95 workbook, older than this reads; save it as .xlsx or as Excel 97-2003 (.xls)", base)
	case book != nil:
	case has("EncryptedPackage"):
		return nil, fmt.Errorf("%s is a password-protected workbook; open it, remove the password, and save it again", base)
	case has("WordDocument"):
		return nil, fmt.Errorf("%s is a Word document (.doc), not a workbook; import the sheet its figures came from", base)
	case has("PowerPoint Document"):
		return nil, fmt.Errorf("%s is a PowerPoint presentation (.ppt), not a workbook", base)
	default:
		return nil, fmt.Errorf("%s is an OLE2 compound file (the container of old Office files) that holds no workbook; it has %s", base, strings.Join(names, ", "))
	}
	if book.Size > maxXLSStream {
		return nil, fmt.Errorf("%s: the workbook stream is %d MB, over the %d MB this reads; save it as .xlsx", base, book.Size>>20, maxXLSStream>>20)
	}
	stream := make([]byte, book.Size)
	if _, err := io.ReadFull(book, stream); err != nil {
		return nil, fmt.Errorf("%s: cannot read the Excel 97-2003 (.xls) workbook: it is damaged or cut short (%v)", base, err)
	}
	return stream, nil
}

// recReader walks the records of a stream.
type recReader struct {
	s   []byte
	off int
}

// next returns the next record, or ok false at the end of the stream or
// at a record that runs past it.
func (r *recReader) next() (id uint16, data []byte, ok bool) {
	if r.off+4 > len(r.s) {
		return 0, nil, false
	}
	id = binary.LittleEndian.Uint16(r.s[r.off:])
	n := int(binary.LittleEndian.Uint16(r.s[r.off+2:]))
	if r.off+4+n > len(r.s) {
		return 0, nil, false
	}
	data = r.s[r.off+4 : r.off+4+n]
	r.off += 4 + n
	return id, data, true
}

// peek returns the type of the next record, or 0 at the end.
func (r *recReader) peek() uint16 {
	if r.off+4 > len(r.s) {
		return 0
	}
	return binary.LittleEndian.Uint16(r.s[r.off:])
}

// continued returns data and the CONTINUE records after it: a long string
// goes on in them.
func (r *recReader) continued(data []byte) [][]byte {
	segs := [][]byte{data}
	for r.peek() == recContinue {
		_, d, ok := r.next()
		if !ok {
			break
		}
		segs = append(segs, d)
	}
	return segs
}

// readGlobals reads the workbook globals: sheets, shared strings, formats.
func readGlobals(stream []byte) (*xlsBook, error) {
	b := &xlsBook{stream: stream, custom: map[uint16]bool{}}
	r := &recReader{s: stream}
	id, data, ok := r.next()
	if !ok || id != recBOF || len(data) < 4 {
		return nil, errors.New("its workbook stream does not start as BIFF records do")
	}
	switch v := binary.LittleEndian.Uint16(data); v {
	case 0x0600:
	case 0x0500:
		return nil, errors.New("it is in the Excel 5.0/95 format (BIFF5), older than this reads; save it as .xlsx")
	default:
		return nil, fmt.Errorf("its BIFF version %#04x is not Excel 97-2003's", v)
	}
	if dt := binary.LittleEndian.Uint16(data[2:]); dt != 0x0005 {
		return nil, errors.New("its workbook stream does not start with the workbook globals")
	}
	for {
		id, data, ok := r.next()
		if !ok {
			return nil, errors.New("it is damaged or cut short: the workbook globals do not end")
		}
		switch id {
		case recEOF:
			return b, nil
		case recFilePass:
			return nil, errors.New("it is password-protected; open it, remove the password, and save it again")
		case recDateMode:
			b.date1904 = len(data) >= 2 && binary.LittleEndian.Uint16(data) == 1
		case recXF:
			if len(data) >= 4 {
				b.xfFormat = append(b.xfFormat, binary.LittleEndian.Uint16(data[2:]))
			}
		case recFormat:
			if len(data) >= 5 {
				sr := &segReader{segs: [][]byte{data[2:]}}
				code := sr.xlString()
				if sr.err == nil {
					b.custom[binary.LittleEndian.Uint16(data)] = isDateFormat(code)
				}
			}
		case recBoundSheet:
			if len(data) < 8 {
				return nil, errors.New("it is damaged: a sheet entry is cut short")
			}
			s := xlsSheet{
				pos:   int(binary.LittleEndian.Uint32(data)),
				state: data[4] & 3,
				kind:  data[5],
			}
			s.hidden = s.state != 0
			sr := &segReader{segs: [][]byte{data[8:]}}
			s.name = sr.chars(int(data[6]), data[7]&1 != 0)
			if sr.err != nil {
				return nil, errors.New("it is damaged: a sheet name is cut short")
			}
			b.sheets = append(b.sheets, s)
		case recSST:
			if err := b.readSST(r.continued(data)); err != nil {
				return nil, err
			}
		}
	}
}

// readSST reads the shared string table, which goes on in CONTINUE
// records: a string cut at a record's end goes on in the next, whose first
// byte says whether its characters take one byte or two.
func (b *xlsBook) readSST(segs [][]byte) error {
	sr := &segReader{segs: segs}
	sr.skip(4) // the count of references to the strings
	n := sr.u32()
	if sr.err != nil {
		return errors.New("it is damaged: the shared strings are cut short")
	}
	size := 0
	for _, s := range segs {
		size += len(s)
	}
	b.sst = make([]string, 0, min(int(n), size/3)) // a string takes 3 bytes at least
	for i := 0; i < int(n) && !sr.done(); i++ {
		s := sr.richString()
		if sr.err != nil {
			return fmt.Errorf("it is damaged: shared string %d of %d is cut short", i+1, n)
		}
		b.sst = append(b.sst, s)
	}
	return nil
}

// segReader reads across the segments of a record and its CONTINUE records.
type segReader struct {
	segs [][]byte
	i, p int
	err  error
}

var errCut = errors.New("cut short")

// avail moves past exhausted segments and says whether a byte is left.
func (r *segReader) avail() bool {
	for r.i < len(r.segs) && r.p >= len(r.segs[r.i]) {
		r.i++
		r.p = 0
	}
	if r.i >= len(r.segs) {
		r.err = errCut
		return false
	}
	return true
}

func (r *segReader) done() bool {
	for r.i < len(r.segs) && r.p >= len(r.segs[r.i]) {
		r.i++
		r.p = 0
	}
	return r.i >= len(r.segs)
}

func (r *segReader) byte() byte {
	if r.err != nil || !r.avail() {
		return 0
	}
	c := r.segs[r.i][r.p]
	r.p++
	return c
}

func (r *segReader) u16() uint16 {
	lo := r.byte()
	return uint16(lo) | uint16(r.byte())<<8
}

func (r *segReader) u32() uint32 {
	lo := r.u16()
	return uint32(lo) | uint32(r.u16())<<16
}

func (r *segReader) skip(n int) {
	for n > 0 && r.err == nil && r.avail() {
		k := min(n, len(r.segs[r.i])-r.p)
		r.p += k
		n -= k
	}
}

// chars reads n characters, one byte each (the low bytes of UTF-16) or two.
// Where the characters go on in the next segment, its first byte tells
// anew how wide they are.
func (r *segReader) chars(n int, wide bool) string {
	if r.err != nil {
		return ""
	}
	u := make([]uint16, 0, min(n, 1024))
	for len(u) < n {
		if r.i >= len(r.segs) {
			r.err = errCut
			return ""
		}
		seg := r.segs[r.i]
		if r.p >= len(seg) {
			r.i++
			r.p = 0
			if r.i >= len(r.segs) || len(r.segs[r.i]) == 0 {
				r.err = errCut
				return ""
			}
			wide = r.segs[r.i][0]&1 != 0
			r.p = 1
			continue
		}
		if wide {
			if r.p+2 > len(seg) {
				r.err = errCut
				return ""
			}
			u = append(u, binary.LittleEndian.Uint16(seg[r.p:]))
			r.p += 2
		} else {
			u = append(u, uint16(seg[r.p]))
			r.p++
		}
	}
	return string(utf16.Decode(u))
}

// xlString reads an XLUnicodeString: a 2-byte count, a flags byte, the
// characters.
func (r *segReader) xlString() string {
	n := r.u16()
	flags := r.byte()
	return r.chars(int(n), flags&1 != 0)
}

// richString reads an XLUnicodeRichExtendedString, dropping its formatting
// runs and phonetic data.
func (r *segReader) richString() string {
	n := r.u16()
	flags := r.byte()
	runs, ext := 0, 0
	if flags&0x08 != 0 {
		runs = int(r.u16())
	}
	if flags&0x04 != 0 {
		ext = int(r.u32())
	}
	s := r.chars(int(n), flags&1 != 0)
	r.skip(4 * runs)
	r.skip(ext)
	return s
}

// readSheet reads a worksheet's value cells, in the order of the stream,
// and its merged ranges. With firstOnly it stops at the first cell that
// holds a value: enough to tell an empty sheet.
func (b *xlsBook) readSheet(s xlsSheet, firstOnly bool) (cells []xlsCell, merges [][4]uint16, err error) {
	if s.pos < 0 || s.pos >= len(b.stream) {
		return nil, nil, errors.New("it is damaged: the sheet lies outside the workbook stream")
	}
	r := &recReader{s: b.stream, off: s.pos}
	id, data, ok := r.next()
	if !ok || id != recBOF || len(data) < 4 {
		return nil, nil, errors.New("it is damaged: the sheet does not start where the workbook says")
	}
	if binary.LittleEndian.Uint16(data[2:]) != 0x0010 {
		return nil, nil, errNotWorksheet
	}
	add := func(row, col uint16, kind uint8, at int, empty bool) bool {
		if empty {
			return false
		}
		cells = append(cells, xlsCell{row: uint32(row), col: col, kind: kind, off: uint32(at)})
		return firstOnly
	}
	depth := 0             // inside an embedded chart's substream
	var formula *[2]uint16 // the cell whose string result a STRING record holds
	for n := 1; ; n++ {
		if n%(1<<16) == 0 && b.ctx != nil {
			if err := b.ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		id, data, ok := r.next()
		if !ok {
			return nil, nil, errors.New("it is damaged or cut short: the sheet does not end")
		}
		at := r.off - len(data) // where data lies in the stream
		if len(cells) > maxXLSCells {
			return nil, nil, fmt.Errorf("the sheet has over %d cells", maxXLSCells)
		}
		if depth > 0 {
			switch id {
			case recBOF:
				depth++
			case recEOF:
				depth--
			}
			continue
		}
		switch id {
		case recLabelSST, recLabel, recRString, recNumber, recRK, recMulRK, recBoolErr, recBlank, recMulBlank:
			formula = nil // a STRING record belongs to the formula just before it
		}
		row, col := uint16(0), uint16(0)
		if len(data) >= 4 {
			row, col = binary.LittleEndian.Uint16(data), binary.LittleEndian.Uint16(data[2:])
		}
		switch id {
		case recEOF:
			return cells, merges, nil
		case recBOF:
			depth++
		case recLabelSST:
			if len(data) < 10 {
				return nil, nil, errCell(id, row, col)
			}
			i := binary.LittleEndian.Uint32(data[6:])
			if int64(i) >= int64(len(b.sst)) {
				return nil, nil, fmt.Errorf("it is damaged: cell %s refers to shared string %d of %d", cellRef(row, col), i, len(b.sst))
			}
			if add(row, col, cellSST, at, b.sst[i] == "") {
				return cells, nil, nil
			}
		case recLabel, recRString:
			if len(data) < 9 {
				return nil, nil, errCell(id, row, col)
			}
			sr := &segReader{segs: [][]byte{data[6:]}}
			v := sr.xlString()
			if sr.err != nil {
				return nil, nil, errCell(id, row, col)
			}
			if add(row, col, cellLabel, at, v == "") {
				return cells, nil, nil
			}
		case recNumber:
			if len(data) < 14 {
				return nil, nil, errCell(id, row, col)
			}
			if add(row, col, cellNumber, at, false) {
				return cells, nil, nil
			}
		case recRK:
			if len(data) < 10 {
				return nil, nil, errCell(id, row, col)
			}
			if add(row, col, cellRK, at, false) {
				return cells, nil, nil
			}
		case recMulRK:
			if len(data) < 12 {
				return nil, nil, errCell(id, row, col)
			}
			for i, off := 0, 4; off+6 <= len(data)-2; i, off = i+1, off+6 {
				if add(row, col+uint16(i), cellMulRK, at+off, false) {
					return cells, nil, nil
				}
			}
		case recBoolErr:
			if len(data) < 8 {
				return nil, nil, errCell(id, row, col)
			}
			if add(row, col, cellBoolErr, at, false) {
				return cells, nil, nil
			}
		case recFormula:
			if len(data) < 20 {
				return nil, nil, errCell(id, row, col)
			}
			res := data[6:14]
			if res[6] != 0xFF || res[7] != 0xFF {
				formula = nil
				if add(row, col, cellNumber, at, false) {
					return cells, nil, nil
				}
				continue
			}
			formula = nil
			switch res[0] {
			case 0: // a string, in the STRING record that follows
				formula = &[2]uint16{row, col}
			case 1, 2:
				if add(row, col, cellFormulaBE, at, false) {
					return cells, nil, nil
				}
			}
		case recString:
			if formula == nil {
				continue
			}
			sr := &segReader{segs: r.continued(data)}
			v := sr.xlString()
			if sr.err != nil {
				return nil, nil, errCell(id, formula[0], formula[1])
			}
			// The record's header, to find its CONTINUE records again.
			if add(formula[0], formula[1], cellString, at-4, v == "") {
				return cells, nil, nil
			}
			formula = nil
		case recMergeCells:
			if len(data) < 2 {
				continue
			}
			n := int(binary.LittleEndian.Uint16(data))
			for i := 0; i < n && 2+8*i+8 <= len(data); i++ {
				d := data[2+8*i:]
				merges = append(merges, [4]uint16{
					binary.LittleEndian.Uint16(d), binary.LittleEndian.Uint16(d[2:]),
					binary.LittleEndian.Uint16(d[4:]), binary.LittleEndian.Uint16(d[6:]),
				})
			}
		}
	}
}

// value reads a cell's value where readSheet found it, and checked it
// whole.
func (b *xlsBook) value(c xlsCell) string {
	s, o := b.stream, int(c.off)
	le := binary.LittleEndian
	switch c.kind {
	case cellSST:
		return b.sst[le.Uint32(s[o+6:])]
	case cellLabel:
		sr := &segReader{segs: [][]byte{s[o+6 : o+int(le.Uint16(s[o-2:]))]}}
		return sr.xlString()
	case cellNumber:
		return b.number(math.Float64frombits(le.Uint64(s[o+6:])), le.Uint16(s[o+4:]))
	case cellRK:
		return b.number(rkValue(le.Uint32(s[o+6:])), le.Uint16(s[o+4:]))
	case cellMulRK:
		return b.number(rkValue(le.Uint32(s[o+2:])), le.Uint16(s[o:]))
	case cellBoolErr:
		return boolErr(s[o+6], s[o+7] != 0)
	case cellFormulaBE:
		return boolErr(s[o+8], s[o+6] == 2)
	case cellString:
		r := &recReader{s: s, off: o}
		_, data, _ := r.next()
		sr := &segReader{segs: r.continued(data)}
		return sr.xlString()
	}
	return ""
}

func errCell(id, row, col uint16) error {
	return fmt.Errorf("it is damaged: the record %#04x of cell %s is cut short", id, cellRef(row, col))
}

// cellRef names a 0-based cell as Excel does: B3.
func cellRef(row, col uint16) string {
	name := ""
	for c := int(col) + 1; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return name + strconv.Itoa(int(row)+1)
}

// rkValue decodes an RK number: a 30-bit integer or the top 30 bits of a
// float64, perhaps to be divided by 100.
func rkValue(rk uint32) float64 {
	var v float64
	if rk&2 != 0 {
		v = float64(int32(rk) >> 2)
	} else {
		v = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		v /= 100
	}
	return v
}

var cellErrors = map[byte]string{0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}

func boolErr(v byte, isErr bool) string {
	switch {
	case isErr && cellErrors[v] != "":
		return cellErrors[v]
	case isErr:
		return "#ERROR!"
	case v != 0:
		return "TRUE"
	}
	return "FALSE"
}

// number writes a number cell as XLSX keeps it: the shortest decimal that
// reads back the same, and a date as its serial in Excel's 1900 system
// (what Date reads), also where the workbook counts from 1904.
func (b *xlsBook) number(v float64, xf uint16) string {
	if b.date1904 && b.isDate(xf) {
		v += 1462
	}
	if v == 0 {
		return "0" // and not -0
	}
	if a := math.Abs(v); a >= 1e-6 && a < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// isDate says the cell format shows a date.
func (b *xlsBook) isDate(xf uint16) bool {
	if int(xf) >= len(b.xfFormat) {
		return false
	}
	f := b.xfFormat[xf]
	if d, ok := b.custom[f]; ok {
		return d
	}
	// Built-in date formats, with those of the Chinese locale (27–36, 50–58).
	return (f >= 14 && f <= 22) || (f >= 27 && f <= 36) || (f >= 45 && f <= 47) || (f >= 50 && f <= 58)
}

// isDateFormat says a number format code shows a date or a time: it has
// y, m, d, h or s outside quoted text, escapes and [colour] brackets.
func isDateFormat(code string) bool {
	code = strings.ToLower(code)
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal, a width or a fill
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return false
			}
			i += j
		case 'y', 'm', 'd', 'h', 's':
			return true
		}
	}
	return false
}

// xlsTable serves one worksheet, with the value of a merged range repeated
// in each of its cells as sheetTable does. Its cells are read at the first
// Next and let go at Close.
type xlsTable struct {
	book   *xlsBook
	name   string
	info   xlsSheet
	loaded bool
	cells  []xlsCell
	merged map[uint32]map[uint16]string // 0-based row → column → value
	last   int                          // the last 0-based row to serve
	row    int                          // the next 0-based row
	i      int                          // the next cell
}

func (t *xlsTable) Name() string  { return t.name }
func (t *xlsTable) Sheet() string { return t.info.name }

func (t *xlsTable) Close() error {
	if t.book != nil {
		t.book.held -= len(t.cells)
	}
	t.book, t.cells, t.merged = nil, nil, nil
	t.loaded = true
	t.last = -1
	return nil
}

func (t *xlsTable) Next() (row Row, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: cannot read the sheet: the workbook is damaged (%v)", t.name, r)
		}
	}()
	if t.book != nil && t.book.ctx != nil {
		if err := t.book.ctx.Err(); err != nil {
			return Row{}, err
		}
	}
	if !t.loaded {
		if err := t.load(); err != nil {
			return Row{}, err
		}
	}
	if t.row > t.last {
		return Row{}, io.EOF
	}
	r := uint32(t.row)
	t.row++
	var cells []string
	put := func(col uint16, v string) {
		for len(cells) <= int(col) {
			cells = append(cells, "")
		}
		cells[col] = v
	}
	for ; t.i < len(t.cells) && t.cells[t.i].row == r; t.i++ {
		put(t.cells[t.i].col, t.book.value(t.cells[t.i]))
	}
	for col, v := range t.merged[r] {
		if int(col) >= len(cells) || cells[col] == "" {
			put(col, v)
		}
	}
	return Row{Line: int(r) + 1, Cells: cells}, nil
}

func (t *xlsTable) load() error {
	t.loaded = true
	t.last = -1
	if t.book == nil {
		return errors.New("the table is closed")
	}
	cells, merges, err := t.book.readSheet(t.info, false)
	if t.book.ctx != nil && t.book.ctx.Err() != nil {
		return t.book.ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("%s: %w", t.name, err)
	}
	// Cells come row by row as Excel writes them; a later record for a
	// cell wins.
	sort.SliceStable(cells, func(i, j int) bool {
		if cells[i].row != cells[j].row {
			return cells[i].row < cells[j].row
		}
		return cells[i].col < cells[j].col
	})
	k := 0
	for i := range cells {
		if k > 0 && cells[k-1].row == cells[i].row && cells[k-1].col == cells[i].col {
			cells[k-1] = cells[i]
			continue
		}
		cells[k] = cells[i]
		k++
	}
	cells = cells[:k]
	if t.book.held+len(cells) > maxXLSCells {
		return fmt.Errorf("%s: the sheets being read have over %d cells together; save the workbook's sheets as separate files", t.name, maxXLSCells)
	}
	if len(cells) > 0 {
		t.last = int(cells[len(cells)-1].row)
	}
	value := func(row, col uint16) string {
		i := sort.Search(len(cells), func(i int) bool {
			c := cells[i]
			return c.row > uint32(row) || (c.row == uint32(row) && c.col >= col)
		})
		if i < len(cells) && cells[i].row == uint32(row) && cells[i].col == col {
			return t.book.value(cells[i])
		}
		return ""
	}
	t.merged = map[uint32]map[uint16]string{}
	covered := 0
	for _, m := range merges {
		r1, r2, c1, c2 := m[0], m[1], m[2], m[3]
		if r1 > r2 || c1 > c2 || (int(r2)-int(r1)+1)*(int(c2)-int(c1)+1) > 100_000 {
			continue
		}
		v := value(r1, c1)
		if v == "" {
			continue
		}
		covered += (int(r2) - int(r1) + 1) * (int(c2) - int(c1) + 1)
		if covered > maxXLSMerged {
			return fmt.Errorf("%s: merged ranges cover over %d cells", t.name, maxXLSMerged)
		}
		for r := uint32(r1); r <= uint32(r2); r++ {
			if t.merged[r] == nil {
				t.merged[r] = map[uint16]string{}
			}
			for c := uint32(c1); c <= uint32(c2); c++ {
				t.merged[r][uint16(c)] = v
			}
		}
		t.last = max(t.last, int(r2))
	}
	t.cells = cells
	t.book.held += len(cells)
	return nil
}
