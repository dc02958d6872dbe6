package pages_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"followrank/export"
	"followrank/headless"
	"followrank/pages"
	"followrank/rank"
	"followrank/units"
)

func document() export.Document {
	mengcheng := units.Node{Code: "341622", Name: "蒙城县", Level: units.County}
	bozhou := units.Node{Code: "341600", Name: "亳州市", Level: units.City}
	r := &rank.Ranking{Level: units.County, Within: bozhou, Date: time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), StaleDays: 45,
		Rows: rank.RankStates([]rank.State{{Unit: mengcheng, Members: 3330, Followers: 3210}})}
	return export.Document{Title: "关于2024年6月亳州市各县（市、区）关注“离退休干部工作”公众号情况的通报",
		Paragraphs: []string{"截至2024年6月30日，亳州市离退休干部3,330人。"}, Issuer: "中共亳州市委老干部局", Date: r.Date,
		Table: export.Tabulate(r, export.TableOptions{Made: r.Date, Attachment: "附件"})}
}

// TestPDFWithoutLibreOfficeUsesChromium: on a machine with Chromium and no
// LibreOffice the PDF is printed from the same layout as HTML, with page
// numbers.
func TestPDFWithoutLibreOfficeUsesChromium(t *testing.T) {
	browser, err := headless.BrowserPath()
	if err != nil {
		if os.Getenv("FOLLOWRANK_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("skipping: pdftotext (poppler-utils) is not installed")
	}
	t.Setenv("FOLLOWRANK_CHROMIUM", browser)
	t.Setenv("FOLLOWRANK_SOFFICE", "")
	t.Setenv("PATH", t.TempDir()) // no soffice to be found
	pdf, err := pages.PDF(context.Background(), document())
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/t.pdf"
	os.WriteFile(path, pdf, 0o644)
	out, err := exec.Command("/usr/bin/pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"关于2024年6月亳州市", "中共亳州市委老干部局", "附件", "制表日期：2024年6月30日", "合计", "第1页共2页", "第2页共2页"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, out)
		}
	}
}

// TestPDFWithNeitherSaysWhatToInstall.
func TestPDFWithNeitherSaysWhatToInstall(t *testing.T) {
	t.Setenv("FOLLOWRANK_CHROMIUM", "")
	t.Setenv("FOLLOWRANK_SOFFICE", "")
	t.Setenv("PATH", t.TempDir())
	_, err := pages.PDF(context.Background(), document())
	if !errors.Is(err, pages.ErrNoPrinter) || !strings.Contains(err.Error(), "apt-get install libreoffice-writer-nogui") {
		t.Errorf("err = %v, want ErrNoPrinter naming what to install", err)
	}
}
