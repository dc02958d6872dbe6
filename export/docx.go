package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"strings"
	"time"

	"golang.org/x/text/width"

	"followrank/wording"
)

// Document is a 通报 as a document.
type Document struct {
	Title                   string    // e.g. 关于2024年6月全省各县（市、区）关注“离退休干部工作”公众号情况的通报
	Recipients              string    // 主送, e.g. 各市委老干部局：; empty for none
	Paragraphs              []string  // the body text, one paragraph each (plain text, editable in Word)
	Chart                   []byte    // a PNG picture of the ranking chart; nil for none
	ChartWidth, ChartHeight int       // the PNG's size in pixels
	Issuer                  string    // the issuing office, signed under the body (e.g. 中共安徽省委老干部局); may be empty
	Date                    time.Time // 成文日期, written 2024年7月5日 (use wording.Date from package followrank/wording)
	Table                   Table     // the ranking table, printed as the 附件 on a new page
}

// The page as GB/T 9704-2012 sets it, in twips (1/20 pt): A4 with a type
// area (版心) of 156 mm × 225 mm.
const (
	docxPageWidth    = 11906 // 210 mm
	docxPageHeight   = 16838 // 297 mm
	docxMarginTop    = 2098  // 37 mm
	docxMarginBottom = 1984  // 35 mm
	docxMarginLeft   = 1587  // 28 mm
	docxMarginRight  = 1474  // 26 mm
	docxFooterFrom   = 1304  // 23 mm: the page number sits about 7 mm below the type area
	docxTextWidth    = docxPageWidth - docxMarginLeft - docxMarginRight
	docxTextHeight   = docxPageHeight - docxMarginTop - docxMarginBottom

	docxBodyChar   = 320 // one character of 三号 (16 pt) text
	docxBodyLine   = 579 // 28.95 pt: 22 lines in the type area
	docxTableEm    = 200 // one character of the table's 10 pt text
	docxCellMargin = 45  // 0.8 mm either side of a cell's text
	docxEMUPerTwip = 635 // DrawingML measures in EMUs, 914400 to the inch
	docxChartRel   = "rIdChart"
	docxChartPart  = "word/media/chart.png"
	docxFooterRel  = "rIdFooter"
)

// docxZipTime is every part's modification time, so the same document makes
// the same bytes.
var docxZipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteDOCX writes d as a Word document.
func WriteDOCX(w io.Writer, d Document) error {
	cx, cy, err := docxChartExtent(d)
	if err != nil {
		return err
	}
	type part struct{ name, body string }
	parts := []part{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxPackageRels},
		{"docProps/core.xml", docxCoreProps(d)},
		{"docProps/app.xml", docxAppProps},
		{"word/document.xml", docxDocument(d, cx, cy)},
		{"word/_rels/document.xml.rels", docxDocumentRels(d.Chart != nil)},
		{"word/styles.xml", docxStyles},
		{"word/fontTable.xml", docxFontTable},
		{"word/settings.xml", docxSettings},
		{"word/footer1.xml", docxFooter},
	}
	if d.Chart != nil {
		parts = append(parts, part{docxChartPart, string(d.Chart)})
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: docxZipTime})
		if err != nil {
			return fmt.Errorf("write Word document: %w", err)
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return fmt.Errorf("write Word document: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write Word document: %w", err)
	}
	return nil
}

// docxChartExtent is the chart's size on the page in EMUs: the text width, or
// less when the picture would be taller than the type area, keeping its
// aspect ratio.
func docxChartExtent(d Document) (cx, cy int64, err error) {
	if d.Chart == nil {
		return 0, 0, nil
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(d.Chart))
	if err != nil {
		return 0, 0, errors.New("the ranking chart is not a PNG picture; it cannot go into the Word document")
	}
	w, h := d.ChartWidth, d.ChartHeight
	if w <= 0 || h <= 0 {
		w, h = cfg.Width, cfg.Height
	}
	maxW, maxH := float64(docxTextWidth*docxEMUPerTwip), float64((docxTextHeight-2*docxBodyLine)*docxEMUPerTwip)
	scale := math.Min(maxW/float64(w), maxH/float64(h))
	return int64(float64(w) * scale), int64(float64(h) * scale), nil
}

// docxDocument is the body: title, 主送, paragraphs, chart, 附件说明,
// signature, then the 附件 on a page of its own.
func docxDocument(d Document, cx, cy int64) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`)
	docxPara(&b, "DocTitle", "", docxRuns(d.Title, ""))
	if d.Recipients != "" {
		docxPara(&b, "Recipients", "", docxRuns(d.Recipients, ""))
	}
	for _, p := range d.Paragraphs {
		docxPara(&b, "Body", "", docxRuns(p, ""))
	}
	if d.Chart != nil {
		docxPara(&b, "Chart", "", docxDrawing(cx, cy))
	}
	hasTable := len(d.Table.Columns) > 0
	if hasTable && d.Table.Attachment != "" {
		docxAttachmentNote(&b, d.Table)
	}
	date := ""
	if !d.Date.IsZero() {
		date = wording.Date(d.Date)
	}
	docxSignature(&b, d.Issuer, date)
	if hasTable {
		docxAttachment(&b, d.Table)
	}
	b.WriteString(`<w:sectPr><w:footerReference w:type="default" r:id="` + docxFooterRel + `"/>`)
	fmt.Fprintf(&b, `<w:pgSz w:w="%d" w:h="%d"/>`, docxPageWidth, docxPageHeight)
	fmt.Fprintf(&b, `<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`,
		docxMarginTop, docxMarginRight, docxMarginBottom, docxMarginLeft, docxFooterFrom)
	b.WriteString(`</w:sectPr></w:body></w:document>`)
	return b.String()
}

// docxSignature writes the issuer and the date the way GB/T 9704 signs a
// notice without a seal: the issuer two characters from the right margin,
// the date under it starting two characters right of the issuer's first
// character. The issuer's Chinese characters are one character wide each
// in any font, so the date is placed from the left; a date too long for
// that stays two characters from the margin and pushes the issuer left.
func docxSignature(b *strings.Builder, issuer, date string) {
	switch {
	case issuer == "" && date == "":
		return
	case issuer == "":
		docxPara(b, "SignDate", docxIndentRight(4), docxRuns(date, ""))
		return
	case date == "":
		docxPara(b, "Signature", docxIndentRight(2), docxRuns(issuer, ""))
		return
	}
	issuerWidth := docxEms(issuer, 0.5) * docxBodyChar
	dateWidth := docxEms(date, 0.75) * docxBodyChar // digits vary by font; Word spaces them from Chinese
	dateLeft := docxTextWidth - issuerWidth
	if dateLeft+dateWidth <= docxTextWidth-2*docxBodyChar {
		docxPara(b, "Signature", docxIndentRight(2), docxRuns(issuer, ""))
		docxPara(b, "SignDate", fmt.Sprintf(`<w:ind w:left="%d"/><w:jc w:val="left"/>`, int(dateLeft)), docxRuns(date, ""))
		return
	}
	docxPara(b, "Signature", docxIndentRight(4+(dateWidth-issuerWidth)/docxBodyChar), docxRuns(issuer, ""))
	docxPara(b, "SignDate", docxIndentRight(2), docxRuns(date, ""))
}

// docxIndentRight indents a body-size paragraph from the right margin by n
// characters; Word reads rightChars, LibreOffice the twips.
func docxIndentRight(n float64) string {
	return fmt.Sprintf(`<w:ind w:right="%d" w:rightChars="%d"/>`, int(n*docxBodyChar), int(n*100))
}

// docxAttachmentNote writes 附件说明 the way GB/T 9704 does: two characters
// in, and a title too long for one line continued under its first
// character.
func docxAttachmentNote(b *strings.Builder, t Table) {
	label := t.Attachment + "："
	n := docxEms(label, 0.5)
	ind := fmt.Sprintf(`<w:ind w:left="%d" w:leftChars="%d" w:hanging="%d" w:hangingChars="%d"/>`,
		int((2+n)*docxBodyChar), int((2+n)*100), int(n*docxBodyChar), int(n*100))
	docxPara(b, "AttachmentNote", ind, docxRuns(label+t.Title, ""))
}

// docxAttachment writes the 附件: the label on a new page, the title, who made
// the table and when, the table and its notes.
func docxAttachment(b *strings.Builder, t Table) {
	label := t.Attachment
	if label == "" {
		label = "附件"
	}
	docxPara(b, "AttachmentLabel", "", docxRuns(label, ""))
	docxPara(b, "TableTitle", "", docxRuns(t.Title, docxTitleSize(t.Title)))
	made := "\t制表日期：" + wording.Date(t.Made)
	if t.Issuer != "" {
		made = "制表单位：" + t.Issuer + made
	}
	// A right tab stop at the margin sets the date flush right.
	docxPara(b, "TableMade", fmt.Sprintf(`<w:tabs><w:tab w:val="right" w:pos="%d"/></w:tabs>`, docxTextWidth), docxRuns(made, ""))
	docxTable(b, t)
	for _, n := range t.Notes {
		docxPara(b, "TableNote", "", docxRuns(n, ""))
	}
	if len(t.Notes) == 0 {
		docxPara(b, "TableNote", "", "") // Word wants a paragraph after a table
	}
}

// docxTitleSize is the run size of the table's title: 18 pt, or 16 pt
// when 18 pt would take more than two lines.
func docxTitleSize(title string) string {
	const char18 = 360 // one character of 18 pt text, in twips
	if docxEms(title, 0.6)*char18 > 2*docxTextWidth*0.95 {
		return `<w:sz w:val="32"/><w:szCs w:val="32"/>`
	}
	return ""
}

// docxShading is the fill and weight of each kind of line.
var docxShading = map[LineKind]struct {
	fill string
	bold bool
}{
	Top:       {"E2EFDA", false},
	Bottom:    {"F2F2F2", false},
	Highlight: {"FCE4D6", true},
	Total:     {"D9E1F2", true},
	Reported:  {"D9E1F2", true},
}

// docxTable writes the ranking table across the text width with thin borders.
// Its fixed layout keeps the widths computed here, so every column stays
// on the page whatever fonts the reader has.
func docxTable(b *strings.Builder, t Table) {
	widths := docxColumnWidths(t)
	b.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/>`, docxTextWidth)
	b.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/>`)
	fmt.Fprintf(b, `<w:tblCellMar><w:left w:w="%d" w:type="dxa"/><w:right w:w="%d" w:type="dxa"/></w:tblCellMar>`, docxCellMargin, docxCellMargin)
	b.WriteString(`</w:tblPr><w:tblGrid>`)
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)
	// The heading row repeats at the top of every page (tblHeader); no row
	// breaks across a page (cantSplit).
	b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="340"/><w:tblHeader/></w:trPr>`)
	for i, c := range t.Columns {
		docxCell(b, widths[i], "D9D9D9", true, c)
	}
	b.WriteString(`</w:tr>`)
	for _, l := range t.Lines {
		s := docxShading[l.Kind]
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="340"/></w:trPr>`)
		for i := range t.Columns {
			text := ""
			if i < len(l.Cells) {
				text = l.Cells[i].Text
			}
			docxCell(b, widths[i], s.fill, s.bold, text)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

func docxCell(b *strings.Builder, w int, fill string, bold bool, text string) {
	fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, w)
	if fill != "" {
		fmt.Fprintf(b, `<w:shd w:val="clear" w:color="auto" w:fill="%s"/>`, fill)
	}
	b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
	rPr := ""
	if bold {
		rPr = `<w:b/><w:bCs/>`
	}
	docxPara(b, "TableText", "", docxRuns(text, rPr))
	b.WriteString(`</w:tc>`)
}

// docxColumnWidths shares the text width among the columns by their content:
// every heading and every cell on one line where the page allows, the
// spare width to 单位 and 备注; when the page is too narrow, 备注 wraps
// first. The widths add up to the text width exactly.
func docxColumnWidths(t Table) []int {
	n := len(t.Columns)
	need := make([]float64, n)
	for i, c := range t.Columns {
		need[i] = docxEms(c, 0.65) * 1.05 // bold
	}
	for _, l := range t.Lines {
		for i := 0; i < n && i < len(l.Cells); i++ {
			need[i] = max(need[i], docxEms(l.Cells[i].Text, 0.65)*1.05)
		}
	}
	remark, unit := -1, -1
	for i, c := range t.Columns {
		need[i] = need[i]*docxTableEm + 2*docxCellMargin + 20
		switch c {
		case "备注":
			remark = i
		case "单位":
			unit = i
		}
	}
	var wide []int
	for _, i := range []int{unit, remark} {
		if i >= 0 {
			wide = append(wide, i)
		}
	}
	spare := docxTextWidth - docxSum(need)
	switch {
	case spare >= 0 && len(wide) > 0:
		for _, i := range wide {
			need[i] += spare / float64(len(wide))
		}
	case spare < 0 && remark >= 0:
		floor := 5*docxTableEm + 2.0*docxCellMargin
		need[remark] = max(floor, need[remark]+spare)
	}
	scale := docxTextWidth / docxSum(need) // 1 unless the page is too narrow
	widths := make([]int, n)
	total, widest := 0, 0
	for i := range need {
		widths[i] = int(need[i] * scale)
		total += widths[i]
		if widths[i] > widths[widest] {
			widest = i
		}
	}
	if n > 0 {
		widths[widest] += docxTextWidth - total
	}
	return widths
}

func docxSum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

// docxEms is the width of s in characters: a Chinese character is one, any
// other narrow.
func docxEms(s string, narrow float64) float64 {
	n := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			n++
		default:
			if r == '%' {
				n += 0.5 // as wide as a Chinese character in many fonts
			}
			n += narrow
		}
	}
	return n
}

// docxPara writes a paragraph of a style from styles.xml with extra paragraph
// properties.
func docxPara(b *strings.Builder, style, pPr, runs string) {
	fmt.Fprintf(b, `<w:p><w:pPr><w:pStyle w:val="%s"/>%s</w:pPr>%s</w:p>`, style, pPr, runs)
}

// docxRuns is text as runs with run properties rPr: tabs and line breaks
// become Word's own, everything else is escaped text.
func docxRuns(text, rPr string) string {
	if text == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<w:r>`)
	if rPr != "" {
		b.WriteString(`<w:rPr>` + rPr + `</w:rPr>`)
	}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString(`<w:tab/>`)
			}
			if part != "" {
				b.WriteString(`<w:t xml:space="preserve">`)
				xml.EscapeText(&b, []byte(part))
				b.WriteString(`</w:t>`)
			}
		}
	}
	b.WriteString(`</w:r>`)
	return b.String()
}

// docxDrawing is the chart as an inline picture of cx × cy EMUs.
func docxDrawing(cx, cy int64) string {
	return fmt.Sprintf(`<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">`+
		`<wp:extent cx="%[1]d" cy="%[2]d"/><wp:effectExtent l="0" t="0" r="0" b="0"/>`+
		`<wp:docPr id="1" name="图表 1" descr="关注率排名图"/>`+
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
		`<pic:nvPicPr><pic:cNvPr id="1" name="chart.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="%[3]s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%[1]d" cy="%[2]d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`, cx, cy, docxChartRel)
}

func docxEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func docxCoreProps(d Document) string {
	created := ""
	if !d.Date.IsZero() {
		created = `<dcterms:created xsi:type="dcterms:W3CDTF">` + d.Date.Format("2006-01-02") + `T00:00:00Z</dcterms:created>`
	}
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + docxEscape(d.Title) + `</dc:title><dc:creator>` + docxEscape(d.Issuer) + `</dc:creator>` + created + `</cp:coreProperties>`
}

func docxDocumentRels(chart bool) string {
	const officeRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	rels := xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="` + officeRel + `styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="` + officeRel + `settings" Target="settings.xml"/>` +
		`<Relationship Id="rIdFonts" Type="` + officeRel + `fontTable" Target="fontTable.xml"/>` +
		`<Relationship Id="` + docxFooterRel + `" Type="` + officeRel + `footer" Target="footer1.xml"/>`
	if chart {
		rels += `<Relationship Id="` + docxChartRel + `" Type="` + officeRel + `image" Target="media/chart.png"/>`
	}
	return rels + `</Relationships>`
}

const docxContentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="png" ContentType="image/png"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const docxPackageRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const docxAppProps = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>followrank</Application></Properties>`

// docxFooter numbers the pages 第 X 页 共 Y 页 with PAGE and NUMPAGES
// fields; the "1"s are the cached results a reader shows until it lays
// the pages out.
const docxFooter = xml.Header + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
	`<w:r><w:t xml:space="preserve">第 </w:t></w:r>` +
	`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
	`<w:r><w:t xml:space="preserve"> 页 共 </w:t></w:r>` +
	`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
	`<w:r><w:t xml:space="preserve"> 页</w:t></w:r></w:p></w:ftr>`

// docxSettings compresses Chinese punctuation as Chinese documents do and
// asks Word for its current layout rules (compatibilityMode 15), under
// which a table's borders line up with the margins.
const docxSettings = xml.Header + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>`

// docxFontTable names a substitute (altName) for each font a reader may
// lack: most computers have 仿宋, 黑体 and 宋体 but not the GB2312 and
// 方正 fonts offices install. charset 86 is GB2312.
const docxFontTable = xml.Header + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:panose1 w:val="02010609030101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>` +
	`<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>` +
	`</w:fonts>`

// docxStyles holds the document's styles, so an office can restyle a 通报
// in Word. Every run names one font for Latin and Chinese alike (ascii,
// hAnsi, eastAsia), so digits are set in the same face as the text around
// them instead of a Latin serif.
const docxStyles = xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + docxFangsong + `<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	// 正文: 仿宋 三号 on a fixed 28.95 pt line.
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:widowControl w:val="0"/><w:spacing w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="DocTitle"><w:name w:val="公文标题"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="579" w:line="700" w:lineRule="exact"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr>` + docxXiaobiaosong + `<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Recipients"><w:name w:val="主送机关"/><w:basedOn w:val="Normal"/><w:next w:val="Body"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="公文正文"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Chart"><w:name w:val="图表"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="AttachmentNote"><w:name w:val="附件说明"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="579"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="发文机关署名"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="579"/><w:jc w:val="right"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="SignDate"><w:name w:val="成文日期"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="right"/></w:pPr></w:style>` +
	// 附件: 黑体 三号 label, the title in 小标宋 18 pt, then 制表单位 left and 制表日期 right.
	`<w:style w:type="paragraph" w:styleId="AttachmentLabel"><w:name w:val="附件标识"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:pageBreakBefore/><w:jc w:val="left"/></w:pPr><w:rPr>` + docxHeiti + `</w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableTitle"><w:name w:val="附件标题"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="240" w:after="240" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr>` + docxXiaobiaosong + `<w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableMade"><w:name w:val="制表信息"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:after="120" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>` +
	`<w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	// Table text: 宋体 10 pt, single-spaced, centred.
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="表格文字"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr>` + docxSongti + `<w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableNote"><w:name w:val="表注"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:before="60" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>` +
	`<w:rPr>` + docxSongti + `<w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
	// 页码: 宋体 四号.
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr>` + docxSongti + `<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`</w:styles>`

const (
	docxFangsong     = `<w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/>`
	docxXiaobiaosong = `<w:rFonts w:ascii="方正小标宋简体" w:hAnsi="方正小标宋简体" w:eastAsia="方正小标宋简体" w:cs="方正小标宋简体"/>`
	docxHeiti        = `<w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体" w:cs="黑体"/>`
	docxSongti       = `<w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体"/>`
)
