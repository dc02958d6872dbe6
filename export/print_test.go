package export_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"followrank/export"
	"followrank/units"
)

// pdfText is a page's text as pdftotext lays it out; page 0 for all.
func pdfText(t *testing.T, pdf string, page int) string {
	t.Helper()
	args := []string{"-layout", pdf, "-"}
	if page > 0 {
		args = append([]string{"-f", strconv.Itoa(page), "-l", strconv.Itoa(page)}, args...)
	}
	return runTool(t, "pdftotext", args...)
}

// TestXLSXPrintsOnA4Width converts a full provincial table to PDF with
// LibreOffice and checks what a bureau checks before signing: A4 pages, the
// title whole within the page, every column on the first page, the heading
// repeated, page numbers, and 合计 equal to the sum of the lines.
func TestXLSXPrintsOnA4Width(t *testing.T) {
	office := requireOffice(t)
	tree, _ := units.NewTree(units.Builtin())
	o := options()
	o.Tree = tree
	r := anhuiRanking(t, tree)
	tb := export.Tabulate(r, o)
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, tb); err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(dir, "ranking.xlsx")
	os.WriteFile(xlsx, buf.Bytes(), 0o644)
	pdf := officePDF(t, office, xlsx)
	info := runTool(t, "pdfinfo", pdf)
	if !strings.Contains(info, "(A4)") {
		t.Errorf("pdfinfo: %s; want A4 pages", info)
	}
	pages, _ := strconv.Atoi(regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)[1])
	page1 := pdfText(t, pdf, 1)
	for _, h := range tb.Columns {
		if !strings.Contains(page1, h) {
			t.Errorf("column %s is not on the first page: the table is wider than the page", h)
		}
	}
	// The title: its two lines whole, each within the page.
	for _, part := range []string{"安徽省各县（市、区）关注“离退休干部工作”公众号情况通报", "（截至2024年6月30日）"} {
		if !strings.Contains(page1, part) {
			t.Errorf("the first page lacks the title line %q whole:\n%s", part, page1[:min(len(page1), 600)])
		}
	}
	for p := 1; p <= pages; p++ {
		text := pdfText(t, pdf, p)
		if !regexp.MustCompile(fmt.Sprintf(`第\s*%d\s*页\s*共\s*%d\s*页`, p, pages)).MatchString(text) {
			t.Errorf("page %d lacks “第 %d 页 共 %d 页”", p, p, pages)
		}
		if p > 1 && !strings.Contains(text, "关注率") {
			t.Errorf("the heading row is not repeated on page %d", p)
		}
	}
	checkTotal(t, pdfText(t, pdf, 0), r)
}
