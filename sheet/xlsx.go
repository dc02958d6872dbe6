package sheet

// XLSX workbooks. Rows are read with excelize's streaming iterator, and
// nothing else of excelize that would load a worksheet whole: merged ranges
// are found by scanning the worksheet's part in the zip, and excelize is
// given a copy of the package with only the parts rows are read from (the
// workbook, its worksheets and shared strings, copied without unpacking),
// so that a workbook's calculation chain, styles or pictures, which it
// would otherwise unmarshal whole, cost nothing. What a hostile workbook
// may make this hold is bounded by the constants below.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/htmlindex"
)

// Empty rows read at the top of a sheet, looking for its first value,
// before the sheet is given up; and the same over all the sheets of a
// workbook. (Variables for tests.)
var (
	maxEmptyTop      = 100_000
	maxEmptyTopTotal = 300_000
)

const (
	// Cells that the merged ranges of one sheet may cover; a range over
	// 100,000 cells is not filled in at all.
	maxXLSXMerged   = 1 << 20
	maxMergedRange  = 100_000
	maxXLSXPart     = 4 << 20   // bytes of the workbook part, and of a relationships part
	maxXLSXStrings  = 16 << 20  // bytes of the shared strings part
	maxXLSXRow      = 4 << 20   // bytes of a row's XML, and of the text between two tags
	maxXLSXUnzipped = 512 << 20 // bytes that the worksheets and shared strings unpack to
	// Worksheets and shared strings larger than this are unpacked by
	// excelize to temporary files and read from there, not held in memory;
	// and all of them when the small ones add up to over maxXLSXInMemory.
	xlsxInMemory    = 1 << 20
	maxXLSXInMemory = 32 << 20
)

// Relationship types, by the end of their URIs (transitional and strict
// OOXML differ in the beginning).
const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
)

// xlsxPackage is the zip of an XLSX with its workbook's sheets resolved to
// their parts.
type xlsxPackage struct {
	file    *os.File
	zip     *zip.Reader
	parts   map[string]*zip.File // by lower-case name
	book    *zip.File            // the workbook part
	sheets  []xlsxSheet
	strings *zip.File // the shared strings, or nil
}

// xlsxSheet is a sheet of the workbook, in the workbook's order.
type xlsxSheet struct {
	name, state, rid string
	part             *zip.File // nil for a chart sheet, or a sheet without its part
}

func (s xlsxSheet) hidden() bool { return s.state != "" && s.state != "visible" }

func (p *xlsxPackage) close() { p.file.Close() }

// readPackage opens the zip and resolves the workbook part (from the
// package's relationships), its sheets (from the workbook part), and each
// sheet's part (from the workbook's relationships), as the parts name
// each other, never by position or by the names Excel happens to use.
func readPackage(path string) (*xlsxPackage, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	zr, err := zip.NewReader(f, fi.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	p := &xlsxPackage{file: f, zip: zr, parts: map[string]*zip.File{}}
	for _, zf := range zr.File {
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(zf.Name, "\\", "/"), "/"))
		if _, dup := p.parts[name]; !dup {
			p.parts[name] = zf
		}
	}
	// On an error the zip stays open, for its caller to read its mimetype.
	return p, p.resolve()
}

func (p *xlsxPackage) resolve() error {
	bookName := "xl/workbook.xml"
	rels, err := p.rels("_rels/.rels")
	if err != nil {
		return err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.typ, relOfficeDocument) && !r.external {
			bookName = partName("", r.target)
			break
		}
	}
	if p.book = p.parts[strings.ToLower(bookName)]; p.book == nil {
		switch top, _, _ := strings.Cut(bookName, "/"); top {
		case "word":
			return errors.New("it is a Word document (.docx), not a workbook")
		case "ppt":
			return errors.New("it is a PowerPoint presentation (.pptx), not a workbook")
		}
		return fmt.Errorf("it has no workbook part %s", bookName)
	}
	if p.sheets, err = p.bookSheets(); err != nil {
		return err
	}
	dir := path.Dir(bookName)
	rels, err = p.rels(path.Join(dir, "_rels", path.Base(bookName)+".rels"))
	if err != nil {
		return err
	}
	byID := map[string]xlsxRel{}
	for _, r := range rels {
		if r.external {
			continue
		}
		if _, dup := byID[r.id]; !dup {
			byID[r.id] = r
		}
		if strings.HasSuffix(r.typ, relSharedStrings) && p.strings == nil {
			p.strings = p.parts[strings.ToLower(partName(dir, r.target))]
		}
	}
	for i, s := range p.sheets {
		if r, ok := byID[s.rid]; ok && strings.HasSuffix(r.typ, relWorksheet) {
			p.sheets[i].part = p.parts[strings.ToLower(partName(dir, r.target))]
		}
	}
	return nil
}

// partName resolves a relationship's target against the folder of the
// part it comes from.
func partName(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return strings.TrimPrefix(path.Join(dir, target), "/")
}

type xlsxRel struct {
	id, typ, target string
	external        bool
}

// xmlPart opens a small XML part to decode, or says it is too large.
func (p *xlsxPackage) xmlPart(zf *zip.File, limit uint64) (*xml.Decoder, io.Closer, error) {
	if zf.UncompressedSize64 > limit {
		return nil, nil, fmt.Errorf("its part %s unpacks to %d MB, over the %d MB a workbook's may", zf.Name, zf.UncompressedSize64>>20, limit>>20)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, nil, err
	}
	d := xml.NewDecoder(io.LimitReader(rc, int64(limit)))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		e, err := htmlindex.Get(label)
		if err != nil {
			return nil, err
		}
		return e.NewDecoder().Reader(r), nil
	}
	return d, rc, nil
}

// rels reads a relationships part; one that is missing has none.
func (p *xlsxPackage) rels(name string) ([]xlsxRel, error) {
	zf := p.parts[strings.ToLower(name)]
	if zf == nil {
		return nil, nil
	}
	d, c, err := p.xmlPart(zf, maxXLSXPart)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var rels []xlsxRel
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return rels, nil
		}
		if err != nil {
			return nil, fmt.Errorf("its part %s: %w", zf.Name, err)
		}
		if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "Relationship" {
			var r xlsxRel
			for _, a := range e.Attr {
				switch a.Name.Local {
				case "Id":
					r.id = a.Value
				case "Type":
					r.typ = a.Value
				case "Target":
					r.target = a.Value
				case "TargetMode":
					r.external = strings.EqualFold(a.Value, "External")
				}
			}
			rels = append(rels, r)
		}
	}
}

// bookSheets reads the sheets of the workbook part: name, state and the
// relationship that leads to its part.
func (p *xlsxPackage) bookSheets() ([]xlsxSheet, error) {
	d, c, err := p.xmlPart(p.book, maxXLSXPart)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var sheets []xlsxSheet
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return sheets, nil
		}
		if err != nil {
			return nil, fmt.Errorf("its part %s: %w", p.book.Name, err)
		}
		if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "sheet" {
			var s xlsxSheet
			for _, a := range e.Attr {
				switch {
				case a.Name.Local == "name":
					s.name = a.Value
				case a.Name.Local == "state":
					s.state = a.Value
				case a.Name.Local == "id" && a.Name.Space != "":
					s.rid = a.Value // r:id
				}
			}
			sheets = append(sheets, s)
		}
	}
}

// mimetype returns the mimetype entry of the zip, if it has one.
func (p *xlsxPackage) mimetype() string {
	zf := p.parts["mimetype"]
	if zf == nil || zf.UncompressedSize64 > 256 {
		return ""
	}
	r, err := zf.Open()
	if err != nil {
		return ""
	}
	defer r.Close()
	b, _ := io.ReadAll(io.LimitReader(r, 256))
	return string(b)
}

// checkSizes refuses a workbook whose parts that rows are read from unpack
// to more than this reads.
func (p *xlsxPackage) checkSizes() error {
	if p.strings != nil && p.strings.UncompressedSize64 > maxXLSXStrings {
		return fmt.Errorf("its shared strings unpack to %d MB, over the %d MB a figure sheet's may", p.strings.UncompressedSize64>>20, maxXLSXStrings>>20)
	}
	var unzipped uint64
	for _, zf := range p.copied(nil) {
		unzipped += zf.UncompressedSize64
	}
	if unzipped > maxXLSXUnzipped {
		return fmt.Errorf("its worksheets unpack to %d MB, over the %d MB this reads (a zip bomb?)", unzipped>>20, maxXLSXUnzipped>>20)
	}
	return nil
}

// copied returns the parts excelize is given, by their names in its copy
// of the package: the worksheets to read (all if read is nil), once where
// sheets share one, and the shared strings.
func (p *xlsxPackage) copied(read map[*zip.File]bool) map[string]*zip.File {
	parts := map[string]*zip.File{}
	if p.strings != nil {
		parts["xl/sharedStrings.xml"] = p.strings
	}
	for _, s := range p.sheets {
		if s.part != nil && (read == nil || read[s.part]) {
			parts[p.sheetName(s.part)] = s.part
		}
	}
	return parts
}

// sheetName is a worksheet part's name in excelize's copy of the package,
// which names them by the first sheet with each.
func (p *xlsxPackage) sheetName(part *zip.File) string {
	for i, s := range p.sheets {
		if s.part == part {
			return fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		}
	}
	return ""
}

// open gives excelize a copy of the package that holds only the parts
// rows are read from, of the sheets whose parts are in read, under the
// names excelize expects, and opens it.
func (p *xlsxPackage) open(read map[*zip.File]bool) (*excelize.File, error) {
	var small uint64
	for _, zf := range p.copied(read) {
		if zf.UncompressedSize64 <= xlsxInMemory {
			small += zf.UncompressedSize64
		}
	}
	tmp, err := os.CreateTemp("", "followrank-*.xlsx")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	err = p.writeCopy(tmp, read)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	inMemory := int64(xlsxInMemory)
	if small > maxXLSXInMemory {
		inMemory = 1 // every part to a temporary file
	}
	return excelize.OpenFile(tmp.Name(), excelize.Options{UnzipSizeLimit: maxXLSXUnzipped, UnzipXMLSizeLimit: inMemory})
}

func (p *xlsxPackage) writeCopy(w io.Writer, read map[*zip.File]bool) error {
	zw := zip.NewWriter(w)
	put := func(name, body string) error {
		w, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(w, body)
		}
		return err
	}
	raw := func(name string, zf *zip.File) error {
		fh := zf.FileHeader
		fh.Name = name
		w, err := zw.CreateRaw(&fh)
		if err != nil {
			return err
		}
		r, err := zf.OpenRaw()
		if err != nil {
			return err
		}
		_, err = io.Copy(w, r)
		return err
	}
	const relNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	var rels strings.Builder
	rels.WriteString(xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	rel := func(id, typ, target string) {
		rels.WriteString(`<Relationship Id="`)
		xml.EscapeText(&rels, []byte(id))
		fmt.Fprintf(&rels, `" Type="%s/%s" Target="%s"/>`, relNS, typ, target)
	}
	for _, s := range p.sheets {
		if s.part != nil && read[s.part] {
			rel(s.rid, "worksheet", strings.TrimPrefix(p.sheetName(s.part), "xl/"))
		}
	}
	if p.strings != nil {
		rel("rIdFollowrankStrings", "sharedStrings", "sharedStrings.xml")
	}
	rels.WriteString(`</Relationships>`)
	if err := put("[Content_Types].xml", xml.Header+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`); err != nil {
		return err
	}
	if err := put("_rels/.rels", xml.Header+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="`+relNS+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`); err != nil {
		return err
	}
	if err := raw("xl/workbook.xml", p.book); err != nil {
		return err
	}
	if err := put("xl/_rels/workbook.xml.rels", rels.String()); err != nil {
		return err
	}
	parts := p.copied(read)
	names := make([]string, 0, len(parts))
	for name := range parts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := raw(name, parts[name]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// sheetTable streams one worksheet, with the value of a merged range
// repeated in each of its cells (a merged "亳州市" beside four counties
// belongs to each of them).
type sheetTable struct {
	ctx           context.Context
	name          string
	sheet         string
	rows          *excelize.Rows
	line          int
	scan          *sheetScan // what Open found in the sheet's part
	merged        *mergeFill
	first         *Row         // the first row with a value, read ahead by Open
	err           error        // what Next says instead of rows, found by Open
	closeWorkbook func() error // set on the workbook's last sheet
}

func openWorkbook(ctx context.Context, path, only string) ([]Table, string, error) {
	pkg, err := readPackage(path)
	if err != nil {
		if pkg != nil {
			mime := pkg.mimetype()
			pkg.close()
			if strings.HasPrefix(mime, odfMime) {
				return nil, "", odfError([]byte(mime))
			}
		}
		return nil, "", fmt.Errorf("cannot read the workbook (damaged, encrypted or not XLSX): %w", err)
	}
	defer pkg.close()
	sheets, err := onlySheet(pkg.sheets, func(s xlsxSheet) string { return s.name }, only)
	if err != nil {
		return nil, "", err
	}
	if err := pkg.checkSizes(); err != nil {
		return nil, "", fmt.Errorf("cannot read the workbook: %w", err)
	}

	// First scan each sheet's part, which excelize need not unpack for a
	// sheet that has no values or is too large to read.
	base := filepath.Base(path)
	scans := map[*zip.File]*sheetScan{} // sheets may share a part
	var tables []*sheetTable
	var hidden []string
	read := map[*zip.File]bool{} // the parts excelize is to read rows of
	for _, s := range sheets {
		if s.part == nil {
			continue // a chart sheet or macro sheet: no cells to read
		}
		sc := scans[s.part]
		if sc == nil {
			if sc = scanSheet(ctx, s.part); ctx.Err() != nil {
				return nil, "", ctx.Err()
			}
			scans[s.part] = sc
		}
		t := &sheetTable{ctx: ctx, name: base + "[" + s.name + "]", sheet: s.name, err: sc.problem()}
		switch {
		case sc.err == nil && sc.firstValue == 0 && sc.formulas == 0:
			continue // Excel's empty Sheet2 and Sheet3
		case s.hidden() && only == "":
			hidden = append(hidden, s.name) // read only when named
			continue
		case t.err == nil:
			read[s.part] = true
			t.scan = sc
		}
		tables = append(tables, t)
	}
	if len(tables) == 0 {
		return nil, "", noCells(only, hidden)
	}
	if len(read) == 0 {
		return tableList(tables), "XLSX", nil // each says why it cannot be read
	}

	wb, err := pkg.open(read)
	if err != nil {
		return nil, "", fmt.Errorf("cannot read the workbook (damaged, encrypted or not XLSX): %w", err)
	}
	budget := maxEmptyTopTotal
	kept := tables[:0]
	for _, t := range tables {
		if t.scan != nil {
			if err := t.readAhead(wb, &budget); err != nil {
				for _, t := range kept {
					t.Close()
				}
				wb.Close()
				return nil, "", err
			}
			if t.rows == nil && t.err == nil {
				continue // its values are all empty
			}
		}
		kept = append(kept, t)
	}
	tables = kept
	if len(tables) == 0 {
		wb.Close()
		return nil, "", noCells(only, hidden)
	}
	// The workbook stays open until the last sheet is closed.
	tables[len(tables)-1].closeWorkbook = wb.Close
	return tableList(tables), "XLSX", nil
}

func tableList(ts []*sheetTable) []Table {
	tables := make([]Table, len(ts))
	for i, t := range ts {
		tables[i] = t
	}
	return tables
}

// sheetScan is what scanning a worksheet's part found.
type sheetScan struct {
	ranges     []mergeRange
	firstValue int // the row of the first value (<v> or <t>) of the sheet data, or 0
	formulas   int
	err        error
}

// problem says why a sheet cannot be read, from its scan.
func (sc *sheetScan) problem() error {
	switch {
	case sc.err != nil:
		return sc.err
	case sc.firstValue == 0 && sc.formulas > 0:
		return fmt.Errorf("no values: its %d formulas have no saved results (a program wrote it, not Excel); open it in Excel or WPS and save it again", sc.formulas)
	case sc.firstValue > maxEmptyTop:
		return fmt.Errorf("no values in the first %d rows; this is not a figure sheet", maxEmptyTop)
	}
	return nil
}

// readAhead reads the sheet up to its first row with a value, leaving
// t.rows nil if it has none. Where the first maxEmptyTop rows (or what is
// left of the workbook's budget) are empty, or cannot be read, the table's
// Next says so. It fails only when ctx is done.
func (t *sheetTable) readAhead(wb *excelize.File, budget *int) error {
	rows, err := wb.Rows(t.sheet)
	if err != nil {
		t.err = fmt.Errorf("cannot read its rows: %w", err)
		return nil
	}
	t.rows = rows
	t.merged = &mergeFill{ranges: t.scan.ranges}
	limit := min(maxEmptyTop, *budget)
	for t.first == nil && t.err == nil {
		if t.line%1024 == 0 {
			if err := t.ctx.Err(); err != nil {
				rows.Close()
				t.rows = nil
				return err
			}
		}
		r, err := t.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.err = err
			break
		}
		for _, c := range r.Cells {
			if c != "" {
				t.first = &r
				break
			}
		}
		switch {
		case t.first != nil || t.line < limit:
		case limit < maxEmptyTop:
			t.err = fmt.Errorf("not read: the sheets before it had %d empty rows at their tops, all a workbook may; name this sheet with --sheet to read it", maxEmptyTopTotal)
		default:
			t.err = fmt.Errorf("no values in the first %d rows; this is not a figure sheet", limit)
		}
	}
	*budget -= t.line
	if t.first == nil && t.err == nil {
		rows.Close()
		t.rows = nil
		return nil
	}
	// The rows above the first are served again, empty, from the top.
	t.line = 0
	return nil
}

func (t *sheetTable) Name() string  { return t.name }
func (t *sheetTable) Sheet() string { return t.sheet }

func (t *sheetTable) Next() (Row, error) {
	if err := t.ctx.Err(); err != nil {
		return Row{}, err
	}
	if t.err != nil {
		return Row{}, t.err
	}
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

// read reads the next row of the sheet, filling in merged ranges, also in
// rows below the last that the sheet has.
func (t *sheetTable) read() (Row, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return Row{}, fmt.Errorf("after row %d: %w", t.line, err)
		}
		if t.merged != nil && t.merged.last() > t.line {
			t.line++
			return Row{Line: t.line, Cells: t.merged.fill(t.line, nil)}, nil
		}
		return Row{}, io.EOF
	}
	t.line++
	cells, err := t.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		if errors.Is(err, excelize.ErrColumnNumber) {
			return Row{}, fmt.Errorf("row %d: a cell lies past column XFD, the last a sheet has (%w)", t.line, err)
		}
		return Row{}, fmt.Errorf("row %d: %w", t.line, err)
	}
	if t.merged != nil {
		cells = t.merged.fill(t.line, cells)
	}
	return Row{Line: t.line, Cells: cells}, nil
}

func (t *sheetTable) Close() error {
	var err error
	if t.rows != nil {
		err = t.rows.Close()
	}
	if t.closeWorkbook != nil {
		if cerr := t.closeWorkbook(); err == nil {
			err = cerr
		}
		t.closeWorkbook = nil
	}
	return err
}

// mergeRange is a merged range, 1-based and inclusive, with the value of
// its first cell once its first row is read.
type mergeRange struct {
	r1, r2, c1, c2 int32
	v              string
}

// mergeFill fills the merged ranges of a sheet into its rows as they are
// read, in order: the value of a range's first cell goes into each of its
// cells that is empty.
type mergeFill struct {
	ranges []mergeRange // by first row
	next   int
	active []mergeRange
}

// last returns the last row of the ranges being filled in, or 0.
func (m *mergeFill) last() int {
	n := 0
	for _, g := range m.active {
		n = max(n, int(g.r2))
	}
	return n
}

func (m *mergeFill) fill(line int, cells []string) []string {
	for ; m.next < len(m.ranges) && int(m.ranges[m.next].r1) <= line; m.next++ {
		g := m.ranges[m.next]
		// A range whose first row was not read here has an empty first cell.
		if int(g.r1) != line || int(g.c1) > len(cells) || cells[g.c1-1] == "" {
			continue
		}
		g.v = cells[g.c1-1]
		m.active = append(m.active, g)
	}
	k := 0
	for _, g := range m.active {
		if int(g.r2) < line {
			continue
		}
		if len(cells) < int(g.c2) {
			cells = append(cells, make([]string, int(g.c2)-len(cells))...)
		}
		for c := g.c1; c <= g.c2; c++ {
			if cells[c-1] == "" {
				cells[c-1] = g.v
			}
		}
		m.active[k] = g
		k++
	}
	m.active = m.active[:k]
	return cells
}

// scanSheet scans a worksheet part, streaming it and holding none of it,
// for its merged ranges (by their first rows), its first value and its
// formulas; and fails a part with a row, or a cell, too large to read.
func scanSheet(ctx context.Context, zf *zip.File) *sheetScan {
	rc, err := zf.Open()
	if err != nil {
		return &sheetScan{err: fmt.Errorf("cannot read the sheet's part %s: %w", zf.Name, err)}
	}
	defer rc.Close()
	sc := &sheetScan{}
	covered := 0
	merge := func(ref string) error {
		first, last, _ := strings.Cut(ref, ":")
		if last == "" {
			return nil // one cell: nothing to fill
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(first)
		c2, r2, err2 := excelize.CellNameToCoordinates(last)
		if err1 != nil || err2 != nil {
			return nil
		}
		r1, r2 = min(r1, r2), max(r1, r2)
		c1, c2 = min(c1, c2), max(c1, c2)
		area := (r2 - r1 + 1) * (c2 - c1 + 1)
		if area > maxMergedRange || area < 2 {
			return nil
		}
		if covered += area; covered > maxXLSXMerged {
			return fmt.Errorf("its merged ranges cover over %d cells; this is not a figure sheet", maxXLSXMerged)
		}
		sc.ranges = append(sc.ranges, mergeRange{r1: int32(r1), r2: int32(r2), c1: int32(c1), c2: int32(c2)})
		return nil
	}
	if err := scanWorksheet(ctx, rc, sc, merge); err != nil {
		return &sheetScan{err: err}
	}
	sort.SliceStable(sc.ranges, func(i, j int) bool { return sc.ranges[i].r1 < sc.ranges[j].r1 })
	return sc
}

// scanWorksheet reads a worksheet's XML a block at a time, looking at its
// tags only: it calls merge with the ref of each <mergeCell ref="…"/> (or
// <x:mergeCell …/>, with any prefix), notes in sc the row of the first
// value and counts the formulas of the sheet data, and fails where a row
// of the sheet data, or the text between two tags before its end, is over
// maxXLSXRow bytes, before excelize would hold it. (Tags cannot hide in
// text: a '<' there is escaped.)
func scanWorksheet(ctx context.Context, r io.Reader, sc *sheetScan, merge func(ref string) error) error {
	const (
		block = 64 << 10
		tag   = 1024 // a row or mergeCell tag longer than this is not read
	)
	buf := make([]byte, 0, block+tag)
	var off int64 // the offset of buf[0] in the stream
	var lastTag int64
	rowStart, row := int64(-1), 0
	inData := true // before the end of the sheet data
	tooLarge := func() error {
		if rowStart >= 0 {
			return fmt.Errorf("row %d holds over %d MiB; this is not a figure sheet", row, maxXLSXRow>>20)
		}
		return fmt.Errorf("the sheet holds over %d MiB between two of its tags; this is not a figure sheet", maxXLSXRow>>20)
	}
	for eof := false; !eof; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := io.ReadFull(r, buf[len(buf):len(buf)+block])
		buf = buf[:len(buf)+n]
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			eof = true
		case err != nil:
			return err
		}
		i, from := 0, len(buf) // from: where the bytes kept for the next block start
	tags:
		for {
			j := bytes.IndexByte(buf[i:], '<')
			if j < 0 {
				break
			}
			p := i + j
			at := off + int64(p)
			if inData && (at-lastTag > maxXLSXRow || rowStart >= 0 && at-rowStart > maxXLSXRow) {
				return tooLarge()
			}
			k := p + 1
			closing := k < len(buf) && buf[k] == '/'
			if closing {
				k++
			}
			e := k
			for e < len(buf) && isNameByte(buf[e]) {
				e++
			}
			if e == len(buf) && !eof && len(buf)-p < tag {
				from = p // the name goes on in the next block
				break
			}
			name := buf[k:e]
			if c := bytes.LastIndexByte(name, ':'); c >= 0 {
				name = name[c+1:]
			}
			i = e
			value := inData && sc.firstValue == 0 && (string(name) == "v" || string(name) == "t")
			switch {
			case closing && inData && string(name) == "sheetData":
				inData = false
			case !closing && inData && string(name) == "f":
				sc.formulas++
			case !closing && (inData && string(name) == "row" || string(name) == "mergeCell" || value):
				gt := bytes.IndexByte(buf[e:], '>')
				if gt < 0 {
					if !eof && len(buf)-p < tag {
						from = p // the tag goes on in the next block
						break tags
					}
					break // too long to be a row's or a merged range's tag
				}
				attrs := buf[e : e+gt]
				i = e + gt + 1
				if value {
					if !bytes.HasSuffix(attrs, []byte("/")) { // <v/> holds none
						sc.firstValue = max(row, 1)
					}
					break
				}
				if string(name) == "mergeCell" {
					if ref, ok := attr(attrs, "ref"); ok {
						if err := merge(ref); err != nil {
							return err
						}
					}
					break
				}
				rowStart, row = at, row+1
				if v, ok := attr(attrs, "r"); ok {
					if n, err := strconv.Atoi(v); err == nil {
						row = n
					}
				}
			}
			lastTag = at
		}
		if end := off + int64(from); inData && (end-lastTag > maxXLSXRow || rowStart >= 0 && end-rowStart > maxXLSXRow) {
			return tooLarge()
		}
		off += int64(from)
		buf = buf[:copy(buf, buf[from:])]
	}
	return nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80
}

// attr returns the value of an attribute (with or without a prefix) of an
// element's attributes as written.
func attr(b []byte, want string) (string, bool) {
	for {
		b = bytes.TrimLeft(b, " \t\r\n/")
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return "", false
		}
		key := bytes.TrimSpace(b[:eq])
		if k := bytes.LastIndexByte(key, ':'); k >= 0 {
			key = key[k+1:]
		}
		b = bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(b) == 0 || (b[0] != '"' && b[0] != '\'') {
			return "", false
		}
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 {
			return "", false
		}
		if string(key) == want {
			return string(b[1 : 1+end]), true
		}
		b = b[end+2:]
	}
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
