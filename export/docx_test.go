package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"followrank/export"
	"followrank/internal/golden"
	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

// The page a 通报 must declare: A4 with GB/T 9704's margins, in twips.
const (
	a4Width, a4Height                = 11906, 16838
	gbTop, gbBottom, gbLeft, gbRight = 2098, 1984, 1587, 1474
	textWidthTwips                   = a4Width - gbLeft - gbRight
	emuPerTwip                       = 635
)

// The same page as a PDF measures it, in points.
const (
	pdfA4Width                    = 595.276
	pdfLeftMargin, pdfRightMargin = 28 * 72 / 25.4, 26 * 72 / 25.4
	marginSlack                   = 3.0 // how far a glyph's box may stray past a margin
)

const (
	wordNS   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	relImage = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"

	nameWithMarkup = `谯城区<&"'>`
	docxTitle      = "关于2024年6月全省各县（市、区）关注“离退休干部工作”公众号情况的通报"
	docxIssuer     = "中共安徽省委老干部局"
	docxRecipients = "各市委老干部局："
)

// smallDocument is a 通报 of four counties with a unit name that needs
// escaping and, when chart is set, a chart.
func smallDocument(chart bool) export.Document {
	r := sample()
	r.Rows[0].Unit.Name = nameWithMarkup
	d := export.Document{
		Title:      docxTitle,
		Recipients: docxRecipients,
		Paragraphs: []string{"为推动离退休干部关注公众号，现将情况通报如下。", "请各地对照排名，抓好落实。"},
		Issuer:     "中共亳州市委老干部局",
		Date:       day("2024-07-05"),
		Table:      export.Tabulate(r, options()),
	}
	if chart {
		d.Chart = chartPNG(400, 300, []float64{0.9, 0.8, 0.7, 0.5})
		d.ChartWidth, d.ChartHeight = 400, 300
	}
	return d
}

// chartPNG draws a bar chart of rates, a stand-in for the real chart.
func chartPNG(w, h int, rates []float64) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	bar := float64(h) / float64(len(rates))
	for i, r := range rates {
		rect := image.Rect(w/10, int(float64(i)*bar+bar*0.15), w/10+int(r*float64(w)*0.85), int(float64(i+1)*bar-bar*0.15))
		draw.Draw(img, rect, image.NewUniform(color.RGBA{0x44, 0x72, 0xC4, 0xFF}), image.Point{}, draw.Src)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func writeDOCX(t *testing.T, d export.Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.WriteDOCX(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// unzipDOCX reads every part of a package.
func unzipDOCX(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the document is not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return parts
}

type contentTypes struct {
	Defaults  []contentDefault `xml:"Default"`
	Overrides []struct {
		PartName string `xml:"PartName,attr"`
	} `xml:"Override"`
}

type contentDefault struct {
	Extension string `xml:"Extension,attr"`
}

type relationships struct {
	Rels []relationship `xml:"Relationship"`
}

type relationship struct {
	ID     string `xml:"Id,attr"`
	Type   string `xml:"Type,attr"`
	Target string `xml:"Target,attr"`
}

type wordDocument struct {
	Body struct {
		Tables []wordTable `xml:"tbl"`
		Sect   struct {
			PgSz struct {
				W int `xml:"w,attr"`
				H int `xml:"h,attr"`
			} `xml:"pgSz"`
			PgMar struct {
				Top    int `xml:"top,attr"`
				Bottom int `xml:"bottom,attr"`
				Left   int `xml:"left,attr"`
				Right  int `xml:"right,attr"`
			} `xml:"pgMar"`
		} `xml:"sectPr"`
		Extents []struct {
			Cx int64 `xml:"cx,attr"`
			Cy int64 `xml:"cy,attr"`
		} `xml:"p>r>drawing>inline>extent"`
		Blips []struct {
			Embed string `xml:"embed,attr"`
		} `xml:"p>r>drawing>inline>graphic>graphicData>pic>blipFill>blip"`
	} `xml:"body"`
}

type wordTable struct {
	Width struct {
		W int `xml:"w,attr"`
	} `xml:"tblPr>tblW"`
	Grid []struct {
		W int `xml:"w,attr"`
	} `xml:"tblGrid>gridCol"`
	Rows []struct {
		Header    *struct{} `xml:"trPr>tblHeader"`
		CantSplit *struct{} `xml:"trPr>cantSplit"`
		Cells     []struct {
			Width struct {
				W int `xml:"w,attr"`
			} `xml:"tcPr>tcW"`
			Shading struct {
				Fill string `xml:"fill,attr"`
			} `xml:"tcPr>shd"`
			Bold *struct{} `xml:"p>r>rPr>b"`
			Text []string  `xml:"p>r>t"`
		} `xml:"tc"`
	} `xml:"tr"`
}

// parseXML decodes every token of a part, so any malformed XML fails.
func parseXML(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// paragraphs is the text of each w:p of a part, as Word would show it.
func paragraphs(t *testing.T, b []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var out []string
	var cur strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inText = tok.Name.Space == wordNS && tok.Name.Local == "t"
			if tok.Name.Local == "tab" {
				cur.WriteString("\t")
			}
		case xml.EndElement:
			inText = false
			if tok.Name.Space == wordNS && tok.Name.Local == "p" {
				out = append(out, cur.String())
				cur.Reset()
			}
		case xml.CharData:
			if inText {
				cur.Write(tok)
			}
		}
	}
}

func TestDOCXIsAWellFormedPackage(t *testing.T) {
	for _, withChart := range []bool{true, false} {
		t.Run(fmt.Sprintf("chart=%v", withChart), func(t *testing.T) {
			d := smallDocument(withChart)
			out := writeDOCX(t, d)
			parts := unzipDOCX(t, out)
			for name, b := range parts {
				if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
					if err := parseXML(b); err != nil {
						t.Errorf("%s is not well-formed XML: %v", name, err)
					}
				}
			}
			checkContentTypes(t, parts)
			rels := checkRelationships(t, parts)

			_, hasPicture := parts["word/media/chart.png"]
			if hasPicture != withChart {
				t.Errorf("word/media/chart.png present = %v, want %v", hasPicture, withChart)
			}
			var doc wordDocument
			if err := xml.Unmarshal(parts["word/document.xml"], &doc); err != nil {
				t.Fatal(err)
			}
			if withChart {
				checkChart(t, d, parts, doc, rels)
			} else if len(doc.Body.Blips) > 0 || slices.ContainsFunc(rels.Rels, func(r relationship) bool { return r.Type == relImage }) {
				t.Error("a document without a chart refers to a picture")
			}
			checkPage(t, doc)
			checkTable(t, d.Table, doc)

			text := strings.Join(paragraphs(t, parts["word/document.xml"]), "\n")
			for _, want := range append([]string{d.Title, d.Recipients, nameWithMarkup, "制表单位：中共亳州市委老干部局\t制表日期：2024年7月1日", wording.Date(d.Date)}, d.Paragraphs...) {
				if !strings.Contains(text, want) {
					t.Errorf("the document's text lacks %q", want)
				}
			}
			var footer struct {
				Fields []string `xml:"p>r>instrText"`
			}
			xml.Unmarshal(parts["word/footer1.xml"], &footer)
			for i := range footer.Fields {
				footer.Fields[i] = strings.TrimSpace(footer.Fields[i])
			}
			if !slices.Equal(footer.Fields, []string{"PAGE", "NUMPAGES"}) {
				t.Errorf("footer fields %q, want PAGE and NUMPAGES", footer.Fields)
			}
			if again := writeDOCX(t, d); !bytes.Equal(out, again) {
				t.Error("two writes of the same document differ")
			}
		})
	}
}

// checkContentTypes checks that every part has a content type and every
// override names a part.
func checkContentTypes(t *testing.T, parts map[string][]byte) {
	t.Helper()
	var ct contentTypes
	if err := xml.Unmarshal(parts["[Content_Types].xml"], &ct); err != nil {
		t.Fatalf("[Content_Types].xml: %v", err)
	}
	typed := map[string]bool{}
	for _, o := range ct.Overrides {
		name := strings.TrimPrefix(o.PartName, "/")
		typed[name] = true
		if _, ok := parts[name]; !ok {
			t.Errorf("[Content_Types].xml names %s, which is not in the package", o.PartName)
		}
	}
	for name := range parts {
		if name == "[Content_Types].xml" || typed[name] {
			continue
		}
		if !slices.ContainsFunc(ct.Defaults, func(d contentDefault) bool { return d.Extension == path.Ext(name)[1:] }) {
			t.Errorf("%s has no content type", name)
		}
	}
}

// checkRelationships checks that every relationship's target exists and
// every part is the target of one; it returns the document's.
func checkRelationships(t *testing.T, parts map[string][]byte) relationships {
	t.Helper()
	reached := map[string]bool{}
	var docRels relationships
	for _, src := range []struct{ rels, dir string }{{"_rels/.rels", ""}, {"word/_rels/document.xml.rels", "word"}} {
		var rels relationships
		if err := xml.Unmarshal(parts[src.rels], &rels); err != nil {
			t.Fatalf("%s: %v", src.rels, err)
		}
		for _, r := range rels.Rels {
			target := path.Join(src.dir, r.Target)
			if _, ok := parts[target]; !ok {
				t.Errorf("%s: %s points at %s, which is not in the package", src.rels, r.ID, target)
			}
			reached[target] = true
		}
		if src.dir == "word" {
			docRels = rels
		}
	}
	for name := range parts {
		if name != "[Content_Types].xml" && !strings.HasSuffix(name, ".rels") && !reached[name] {
			t.Errorf("no relationship names %s", name)
		}
	}
	return docRels
}

// checkChart checks the picture is the PNG given, embedded by an image
// relationship, as wide as the text and in its own proportions.
func checkChart(t *testing.T, d export.Document, parts map[string][]byte, doc wordDocument, rels relationships) {
	t.Helper()
	if !bytes.Equal(parts["word/media/chart.png"], d.Chart) {
		t.Error("word/media/chart.png is not the chart given")
	}
	if len(doc.Body.Blips) != 1 || len(doc.Body.Extents) != 1 {
		t.Fatalf("%d pictures, want 1", len(doc.Body.Blips))
	}
	i := slices.IndexFunc(rels.Rels, func(r relationship) bool { return r.ID == doc.Body.Blips[0].Embed })
	if i < 0 || rels.Rels[i].Type != relImage {
		t.Errorf("the picture refers to %q, not an image relationship", doc.Body.Blips[0].Embed)
	}
}

// TestDOCXChartFitsTheTypeArea checks the chart is as wide as the text,
// or as tall as the type area allows, in its own proportions.
func TestDOCXChartFitsTheTypeArea(t *testing.T) {
	const textWidth, textHeight = textWidthTwips * emuPerTwip, (a4Height - gbTop - gbBottom) * emuPerTwip
	for _, c := range []struct {
		name           string
		pngW, pngH     int  // the picture's pixels
		givenW, givenH int  // Document.ChartWidth and ChartHeight
		wantW          bool // as wide as the text (else as tall as allowed)
	}{
		{"wide", 1600, 1000, 1600, 1000, true},
		{"size read from the PNG", 1600, 1000, 0, 0, true},
		{"tall", 400, 2000, 400, 2000, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := smallDocument(false)
			d.Chart, d.ChartWidth, d.ChartHeight = chartPNG(c.pngW, c.pngH, []float64{0.5}), c.givenW, c.givenH
			var doc wordDocument
			if err := xml.Unmarshal(unzipDOCX(t, writeDOCX(t, d))["word/document.xml"], &doc); err != nil || len(doc.Body.Extents) != 1 {
				t.Fatalf("want one picture: %v", err)
			}
			e := doc.Body.Extents[0]
			if e.Cx > textWidth || e.Cy > textHeight {
				t.Errorf("picture %d × %d EMU, larger than the type area %d × %d", e.Cx, e.Cy, textWidth, textHeight)
			}
			if wide := math.Abs(float64(e.Cx-textWidth)) <= emuPerTwip; wide != c.wantW {
				t.Errorf("picture %d EMU wide; as wide as the text (%d) = %v, want %v", e.Cx, textWidth, wide, c.wantW)
			}
			if got, want := float64(e.Cy)/float64(e.Cx), float64(c.pngH)/float64(c.pngW); math.Abs(got-want) > 0.001 {
				t.Errorf("picture aspect %.4f, want %.4f", got, want)
			}
		})
	}
}

// TestDOCXSignsAsGBT9704 checks the signature: the issuer two characters
// from the right margin, the date under it starting two characters right
// of the issuer's first character, and nothing for what is missing.
func TestDOCXSignsAsGBT9704(t *testing.T) {
	type para struct {
		Style struct {
			Val string `xml:"val,attr"`
		} `xml:"pPr>pStyle"`
		Indent struct {
			Left  int `xml:"left,attr"`
			Right int `xml:"right,attr"`
		} `xml:"pPr>ind"`
		Text []string `xml:"r>t"`
	}
	const char = 320 // one character of 三号 text, in twips
	for _, c := range []struct {
		name   string
		issuer string
		date   time.Time
		want   []string // the signature's lines
	}{
		{"issuer and date", docxIssuer, day("2024-07-05"), []string{docxIssuer, "2024年7月5日"}},
		{"no issuer", "", day("2024-07-05"), []string{"2024年7月5日"}},
		{"no date", docxIssuer, time.Time{}, []string{docxIssuer}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := smallDocument(false)
			d.Issuer, d.Date = c.issuer, c.date
			var doc struct {
				Paras []para `xml:"body>p"`
			}
			if err := xml.Unmarshal(unzipDOCX(t, writeDOCX(t, d))["word/document.xml"], &doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			var sig []para
			for _, p := range doc.Paras {
				if p.Style.Val == "Signature" || p.Style.Val == "SignDate" {
					got, sig = append(got, strings.Join(p.Text, "")), append(sig, p)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("signature %q, want %q", got, c.want)
			}
			if len(sig) == 2 {
				issuerStart := textWidthTwips - sig[0].Indent.Right - len([]rune(c.issuer))*char
				if sig[0].Indent.Right != 2*char || sig[1].Indent.Left != issuerStart+2*char {
					t.Errorf("issuer %d twips from the margin, date from %d; want %d and %d", sig[0].Indent.Right, sig[1].Indent.Left, 2*char, issuerStart+2*char)
				}
			}
		})
	}
}

func checkPage(t *testing.T, doc wordDocument) {
	t.Helper()
	s := doc.Body.Sect
	if s.PgSz.W != a4Width || s.PgSz.H != a4Height {
		t.Errorf("page %d × %d twips, want A4 %d × %d", s.PgSz.W, s.PgSz.H, a4Width, a4Height)
	}
	m := s.PgMar
	if m.Top != gbTop || m.Bottom != gbBottom || m.Left != gbLeft || m.Right != gbRight {
		t.Errorf("margins %+v, want GB/T 9704's %d/%d/%d/%d", m, gbTop, gbBottom, gbLeft, gbRight)
	}
}

// checkTable checks the heading row repeats, no row splits, every row is
// exactly the text width, and the lines carry their marks.
func checkTable(t *testing.T, want export.Table, doc wordDocument) {
	t.Helper()
	if len(doc.Body.Tables) != 1 {
		t.Fatalf("%d tables, want 1", len(doc.Body.Tables))
	}
	tbl := doc.Body.Tables[0]
	grid := 0
	for _, g := range tbl.Grid {
		grid += g.W
	}
	if grid != textWidthTwips || tbl.Width.W != textWidthTwips {
		t.Errorf("table %d twips, grid %d twips; want the text width %d", tbl.Width.W, grid, textWidthTwips)
	}
	if len(tbl.Rows) != 1+len(want.Lines) {
		t.Fatalf("%d rows, want a heading row and %d lines", len(tbl.Rows), len(want.Lines))
	}
	for i, row := range tbl.Rows {
		if (row.Header != nil) != (i == 0) {
			t.Errorf("row %d: marked as heading row = %v", i, row.Header != nil)
		}
		if row.CantSplit == nil {
			t.Errorf("row %d may split across pages", i)
		}
		width := 0
		for _, c := range row.Cells {
			width += c.Width.W
		}
		if width != textWidthTwips || len(row.Cells) != len(want.Columns) {
			t.Errorf("row %d: %d cells, %d twips wide; want %d cells, %d twips", i, len(row.Cells), width, len(want.Columns), textWidthTwips)
		}
	}
	for i, c := range tbl.Rows[0].Cells {
		if strings.Join(c.Text, "") != want.Columns[i] || c.Bold == nil || c.Shading.Fill == "" {
			t.Errorf("heading %d is %q (bold %v, fill %q), want %q bold and shaded", i, c.Text, c.Bold != nil, c.Shading.Fill, want.Columns[i])
		}
	}
	marks := map[export.LineKind]struct {
		fill string
		bold bool
	}{export.Body: {"", false}, export.Top: {"E2EFDA", false}, export.Bottom: {"F2F2F2", false}, export.Highlight: {"FCE4D6", true}, export.Total: {"D9E1F2", true}, export.Reported: {"D9E1F2", true}}
	for i, l := range want.Lines {
		cell := tbl.Rows[i+1].Cells[slices.Index(want.Columns, "单位")]
		m := marks[l.Kind]
		if cell.Shading.Fill != m.fill || (cell.Bold != nil) != m.bold {
			t.Errorf("line %d (%s, kind %d): fill %q bold %v, want %q bold %v", i, cell.Text, l.Kind, cell.Shading.Fill, cell.Bold != nil, m.fill, m.bold)
		}
	}
}

func TestDOCXGolden(t *testing.T) {
	parts := unzipDOCX(t, writeDOCX(t, smallDocument(true)))
	golden.Check(t, filepath.Join("testdata", "docx", "document.xml"), parts["word/document.xml"])
}

func TestDOCXRefusesAChartThatIsNotPNG(t *testing.T) {
	d := smallDocument(false)
	d.Chart = []byte("GIF89a not a png")
	err := export.WriteDOCX(io.Discard, d)
	if err == nil || !strings.Contains(err.Error(), "PNG") {
		t.Errorf("err = %v, want one saying the chart is not a PNG", err)
	}
}

// requireOffice returns LibreOffice's path, skipping the test when it or
// poppler-utils is missing unless FOLLOWRANK_TEST_REQUIRE_OFFICE=1.
func requireOffice(t *testing.T) string {
	t.Helper()
	var missing []string
	office, err := exec.LookPath("soffice")
	if err != nil {
		missing = append(missing, "soffice (LibreOffice)")
	} else if !hasWriter(office) {
		missing = append(missing, "LibreOffice Writer (libreoffice-writer-nogui)")
	}
	for _, tool := range []string{"pdfinfo", "pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool+" (poppler-utils)")
		}
	}
	if len(missing) > 0 {
		if os.Getenv("FOLLOWRANK_TEST_REQUIRE_OFFICE") == "1" {
			t.Fatalf("FOLLOWRANK_TEST_REQUIRE_OFFICE=1 but %s missing", strings.Join(missing, ", "))
		}
		t.Skipf("skipping: %s missing", strings.Join(missing, ", "))
	}
	return office
}

// hasWriter says whether LibreOffice has Writer, which opens DOCX: a
// Calc-only install converts nothing and says so only in its output.
// Writer's core library (libswlo) sits beside the soffice program.
func hasWriter(office string) bool {
	program, err := filepath.EvalSymlinks(office)
	if err != nil {
		return false
	}
	found, _ := filepath.Glob(filepath.Join(filepath.Dir(program), "libswlo.*"))
	return len(found) > 0
}

// anhuiRanking ranks Anhui's 104 counties on made-up but plausible
// figures: rates from 35% to 98%, two counties that did not report, three
// carried forward from March, one stale, a comparison with May, and a
// provincial report that differs from the sum.
func anhuiRanking(t *testing.T, tree *units.Tree) *rank.Ranking {
	t.Helper()
	rng := rand.New(rand.NewPCG(2024, 6))
	var now, then []rank.State
	var members, followers uint64
	for i, c := range tree.Descendants("340000", units.County) {
		m := 600 + rng.Uint64N(2400)
		f := uint64(float64(m) * (0.35 + 0.63*rng.Float64()))
		s := rank.State{Unit: c, Members: m, Followers: f, Reported: true, ReportDate: day("2024-06-28")}
		then = append(then, rank.State{Unit: c, Members: m, Followers: min(m, f*uint64(85+rng.IntN(25))/100)})
		switch i {
		case 11, 57:
			s = rank.State{Unit: c}
		case 23, 64, 90:
			s.ReportDate = day("2024-03-31")
		case 40:
			s.ReportDate, s.Stale = day("2024-04-30"), true
		}
		members, followers = members+s.Members, followers+s.Followers
		now = append(now, s)
	}
	if len(now) != 104 {
		t.Fatalf("the built-in divisions have %d counties in Anhui, want 104", len(now))
	}
	prev := map[string]int{}
	for _, row := range rank.RankStates(then) {
		prev[row.Unit.Code] = row.Rank
	}
	rows := rank.RankStates(now)
	ranked := 0
	for i := range rows {
		rows[i].PrevRank = prev[rows[i].Unit.Code]
		if rows[i].Rank > 0 {
			ranked++
		}
	}
	anhui, _ := tree.Get("340000")
	total := rank.State{Unit: anhui, Members: members + 130, Followers: followers + 95, Reported: true, ReportDate: day("2024-06-30")}
	return &rank.Ranking{Level: units.County, Within: anhui, Date: day("2024-06-30"), Compare: day("2024-05-31"),
		Rows: rows, Total: total, Ranked: ranked, StaleDays: 45}
}

// anhuiDocument is the 通报 a provincial bureau would send for r.
func anhuiDocument(r *rank.Ranking, tb export.Table) export.Document {
	var members, followers uint64
	for _, row := range r.Rows {
		members, followers = members+row.Members, followers+row.Followers
	}
	sum := rank.State{Members: members, Followers: followers}
	top, bottom := r.Rows[0], r.Rows[r.Ranked-1]
	rates := make([]float64, 0, r.Ranked)
	for _, row := range r.Rows[:r.Ranked] {
		rates = append(rates, row.Rate())
	}
	return export.Document{
		Title:      docxTitle,
		Recipients: docxRecipients,
		Paragraphs: []string{
			"为进一步加强离退休干部工作宣传阵地建设，及时传达党中央和省委关于离退休干部工作的决策部署，省委老干部局对各县（市、区）离退休干部关注“离退休干部工作”微信公众号情况进行了统计。现将有关情况通报如下。",
			fmt.Sprintf("截至%s，全省%d个县（市、区）共有离退休干部%d人，已关注公众号%d人，关注率%s。其中，%s关注率%s，位列第一；%s关注率%s，排名靠后。",
				wording.Date(r.Date), len(r.Rows), members, followers, wording.Percent(sum.Rate()), top.Unit.Name, wording.Percent(top.Rate()), bottom.Unit.Name, wording.Percent(bottom.Rate())),
			"请各地对照排名情况，认真查找差距，采取有效措施，动员更多离退休干部关注公众号，于2024年7月31日前将整改情况报送省委老干部局。",
		},
		Chart:       chartPNG(1600, 1000, rates[:30]),
		ChartWidth:  1600,
		ChartHeight: 1000,
		Issuer:      docxIssuer,
		Date:        day("2024-07-05"),
		Table:       tb,
	}
}

// TestDOCXPrintsAsAnOfficialNotice converts the 通报 of Anhui's 104
// counties to PDF with LibreOffice and checks it as a bureau would before
// signing: A4 pages numbered 第 N 页 共 M 页, the title and text on the
// first page, the 附件 on its own page with every column on it, the
// heading repeated, nothing beyond the margins, and 合计 equal to the sum
// of the lines. FOLLOWRANK_DOCX_PAGES=dir keeps the DOCX, the PDF and PNGs
// of the first page and of the 附件's first page there to look at.
func TestDOCXPrintsAsAnOfficialNotice(t *testing.T) {
	office := requireOffice(t)
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	r := anhuiRanking(t, tree)
	tb := export.Tabulate(r, export.TableOptions{Tree: tree, Issuer: docxIssuer, Made: day("2024-07-05"), Attachment: "附件", Highlight: "341622"})
	d := anhuiDocument(r, tb)
	dir := t.TempDir()
	file := filepath.Join(dir, "tongbao.docx")
	if err := os.WriteFile(file, writeDOCX(t, d), 0o644); err != nil {
		t.Fatal(err)
	}
	keep := os.Getenv("FOLLOWRANK_DOCX_PAGES")
	if keep != "" {
		os.MkdirAll(keep, 0o755)
		exec.Command("cp", file, keep).Run()
	}
	pdf := officePDF(t, office, file)

	info := runTool(t, "pdfinfo", "-f", "1", "-l", "999", pdf)
	pages, _ := strconv.Atoi(regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)[1])
	if n := strings.Count(info, "(A4)"); n != pages || pages < 3 {
		t.Errorf("%d of %d pages are A4; want all A4 and at least 3 pages:\n%s", n, pages, info)
	}
	texts := make([]string, pages+1)
	for p := 1; p <= pages; p++ {
		texts[p] = runTool(t, "pdftotext", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), "-layout", pdf, "-")
		if !regexp.MustCompile(fmt.Sprintf(`第\s*%d\s*页`, p)).MatchString(texts[p]) || !regexp.MustCompile(fmt.Sprintf(`共\s*%d\s*页`, pages)).MatchString(texts[p]) {
			t.Errorf("page %d lacks “第 %d 页” and “共 %d 页”:\n%s", p, p, pages, tail(texts[p]))
		}
	}
	if !strings.Contains(squeeze(texts[1]), squeeze(d.Title)) {
		t.Errorf("the title is not on page 1:\n%s", texts[1])
	}
	body := squeeze(regexp.MustCompile(`第\s*\d+\s*页\s*共\s*\d+\s*页`).ReplaceAllString(strings.Join(texts, ""), ""))
	for _, p := range append(d.Paragraphs, d.Recipients, docxIssuer, "2024年7月5日", "附件："+tb.Title) {
		if !strings.Contains(body, squeeze(p)) {
			t.Errorf("the PDF lacks the text %q", p)
		}
	}

	first := slices.IndexFunc(texts, func(s string) bool { return regexp.MustCompile(`(?m)^\s*附件\s*$`).MatchString(s) })
	if first < 2 {
		t.Fatalf("no page starts the 附件 after the first page")
	}
	checkAttachmentPage(t, texts[first], tb)
	for p := first + 1; p <= pages; p++ {
		if regexp.MustCompile(`\d+\.\d\d%`).MatchString(texts[p]) && headingLine(texts[p], tb.Columns) < 0 {
			t.Errorf("page %d has table lines but not the heading row", p)
		}
	}
	checkTotal(t, strings.Join(texts[first:], "\n"), r)
	for p := 1; p <= pages; p++ {
		checkMargins(t, pdf, p)
	}

	if keep != "" {
		exec.Command("cp", pdf, keep).Run()
		runTool(t, "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, filepath.Join(keep, "page"))
		runTool(t, "pdftoppm", "-png", "-r", "60", "-f", strconv.Itoa(first), "-l", strconv.Itoa(first), pdf, filepath.Join(keep, "page"))
	}
}

// checkAttachmentPage checks the 附件's first page: the title whole on at
// most two lines, who made the table and when on one line, every heading.
func checkAttachmentPage(t *testing.T, text string, tb export.Table) {
	t.Helper()
	lines := strings.Split(text, "\n")
	title := squeeze(tb.Title)
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(squeeze(l), string([]rune(title)[:6])) })
	if i < 0 || i+1 >= len(lines) || !strings.HasPrefix(squeeze(lines[i]+lines[i+1]), title) {
		t.Errorf("the table's title %q is not whole on two lines of the 附件 page:\n%s", tb.Title, text)
	}
	if !slices.ContainsFunc(lines, func(l string) bool {
		return squeeze(l) == "制表单位："+docxIssuer+"制表日期：2024年7月5日"
	}) {
		t.Errorf("the 附件 page lacks 制表单位 and 制表日期 on one line:\n%s", text)
	}
	if headingLine(text, tb.Columns) < 0 {
		t.Errorf("the 附件 page lacks a line with every column heading %q:\n%s", tb.Columns, text)
	}
}

// headingLine is the index of the line holding every heading, or -1.
func headingLine(text string, headings []string) int {
	return slices.IndexFunc(strings.Split(text, "\n"), func(l string) bool {
		for _, h := range headings {
			if !strings.Contains(l, h) {
				return false
			}
		}
		return true
	})
}

// checkTotal reads the counts of every unit line and of 合计 from the
// PDF's text and checks that 合计 is their sum, and the sum of the figures.
func checkTotal(t *testing.T, text string, r *rank.Ranking) {
	t.Helper()
	counts := regexp.MustCompile(`(\d+)\s+(\d+)\s+(?:\d+\.\d\d%|—)`)
	var members, followers, lines int
	var total []string
	for _, l := range strings.Split(text, "\n") {
		m := counts.FindStringSubmatch(l)
		switch {
		case m == nil || strings.Contains(l, "上报"):
		case strings.Contains(l, "合计"):
			total = m
		default:
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[2])
			members, followers, lines = members+a, followers+b, lines+1
		}
	}
	if total == nil {
		t.Fatal("no 合计 line in the PDF")
	}
	var wantM, wantF uint64
	for _, row := range r.Rows {
		wantM, wantF = wantM+row.Members, wantF+row.Followers
	}
	if lines != len(r.Rows) {
		t.Errorf("read %d unit lines from the PDF, want %d", lines, len(r.Rows))
	}
	if total[1] != strconv.Itoa(members) || total[2] != strconv.Itoa(followers) {
		t.Errorf("合计 %s / %s, the lines above it sum to %d / %d", total[1], total[2], members, followers)
	}
	if total[1] != strconv.FormatUint(wantM, 10) || total[2] != strconv.FormatUint(wantF, 10) {
		t.Errorf("合计 %s / %s, the figures sum to %d / %d", total[1], total[2], wantM, wantF)
	}
}

// checkMargins checks that no word of page p lies beyond the page or
// outside GB/T 9704's left and right margins.
func checkMargins(t *testing.T, pdf string, p int) {
	t.Helper()
	var doc struct {
		Pages []struct {
			Width float64 `xml:"width,attr"`
			Words []struct {
				XMin float64 `xml:"xMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				Text string  `xml:",chardata"`
			} `xml:"flow>block>line>word"`
		} `xml:"body>doc>page"`
	}
	out := runTool(t, "pdftotext", "-bbox-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-")
	if err := xml.Unmarshal([]byte(out), &doc); err != nil || len(doc.Pages) != 1 {
		t.Fatalf("pdftotext -bbox-layout page %d: %v", p, err)
	}
	page := doc.Pages[0]
	if math.Abs(page.Width-pdfA4Width) > 1 {
		t.Errorf("page %d is %.1f pt wide, want A4's %.1f", p, page.Width, pdfA4Width)
	}
	for _, w := range page.Words {
		if w.XMin < pdfLeftMargin-marginSlack || w.XMax > page.Width-pdfRightMargin+marginSlack {
			t.Errorf("page %d: %q spans %.1f–%.1f pt, outside the text area %.1f–%.1f pt", p, w.Text, w.XMin, w.XMax, pdfLeftMargin, page.Width-pdfRightMargin)
		}
	}
}

// officePDF converts a document with LibreOffice, in a profile of its own.
func officePDF(t *testing.T, office, file string) string {
	t.Helper()
	dir := filepath.Dir(file)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, office, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, file)
	out, err := cmd.CombinedOutput()
	pdf := strings.TrimSuffix(file, filepath.Ext(file)) + ".pdf"
	if _, statErr := os.Stat(pdf); err != nil || statErr != nil {
		// LibreOffice exits 0 when it cannot load a file.
		t.Fatalf("LibreOffice could not convert %s: %v\n%s", filepath.Base(file), err, out)
	}
	return pdf
}

func runTool(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// squeeze drops the spaces and line breaks that layout adds to text.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	return s[max(0, len(s)-300):]
}
