package export_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"followrank/export"
	"followrank/rank"
	"followrank/units"
)

// TestXLSXPrintsOnA4Width converts a full provincial table to PDF with
// LibreOffice and checks that the pages are A4 and that every column, the
// rightmost included, is on the first page. `make check-print` installs
// LibreOffice and runs it; elsewhere it is skipped when LibreOffice is absent.
func TestXLSXPrintsOnA4Width(t *testing.T) {
	office, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("skipping: LibreOffice is not installed (make check-print installs it and runs this test)")
	}
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("skipping: %s (poppler-utils) is not installed", tool)
		}
	}
	tree, _ := units.NewTree(units.Builtin())
	var figs []rank.State
	for i, c := range tree.Descendants("340000", units.County) {
		figs = append(figs, rank.State{Unit: c, Members: 1000 + uint64(i), Followers: 400 + uint64(5*i)})
	}
	anhui, _ := tree.Get("340000")
	r := &rank.Ranking{Level: units.County, Within: anhui, Date: day("2024-06-30"), Rows: rank.RankStates(figs), Ranked: len(figs), StaleDays: 45}
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, export.XLSXOptions{Highlight: "341622", Generated: time.Now()}, r); err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(dir, "ranking.xlsx")
	os.WriteFile(xlsx, buf.Bytes(), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, office, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, xlsx)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "ranking.pdf")
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "(A4)") {
		t.Errorf("pdfinfo: %s; want A4 pages", info)
	}
	page1, err := exec.Command("pdftotext", "-f", "1", "-l", "1", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range export.Columns {
		if !strings.Contains(string(page1), h) {
			t.Errorf("column %s is not on the first page: the table is wider than the page", h)
		}
	}
	page2, _ := exec.Command("pdftotext", "-f", "2", "-l", "2", "-layout", pdf, "-").Output()
	if len(page2) > 0 && !strings.Contains(string(page2), "关注率") {
		t.Error("the heading row is not repeated on page 2")
	}
}
