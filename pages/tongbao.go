package pages

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"time"

	"followrank/charts"
	"followrank/export"
	"followrank/headless"
	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

// TongbaoSpec says which 通报 to make.
type TongbaoSpec struct {
	Level   units.Level
	Scope   units.Node
	Date    time.Time
	Compare time.Time  // zero for none
	Focus   units.Node // the unit the text states the place of and the table marks; zero for none
	Bureau  string     // the issuing office: signature and 制表单位
	Issued  time.Time  // 成文日期 and 制表日期
	Tree    *units.Tree
	// Target gives a unit's target rate (省定目标) by code, for the text's
	// 达标单位N个; nil for none.
	Target func(code string) (float64, bool)
}

// chartRows is how many units the document's chart shows at most: the
// first and the last half of it, so that the chart fits a page.
const chartRows = 30

// Tongbao ranks, drafts and lays out the 通报: title, the drafted text, the
// ranking chart as a picture (drawn by headless Chromium), the issuer and
// date, and the ranking table as 附件. When no Chromium is installed the
// document has no chart and warning says so; a ranking that cannot be
// reported truthfully is an error (see export.Draft).
func (b Builder) Tongbao(ctx context.Context, s TongbaoSpec) (d export.Document, warning string, err error) {
	r, err := b.Engine.Rank(ctx, s.Level, s.Scope, s.Date, s.Compare)
	if err != nil {
		return d, "", err
	}
	text, err := export.DraftWith(r, export.DraftOptions{Focus: s.Focus.Code, Target: s.Target})
	if err != nil {
		return d, "", &rank.QueryError{Msg: err.Error()}
	}
	d = export.Document{
		Title:      fmt.Sprintf("关于%s%s各%s关注“离退休干部工作”公众号情况的通报", wording.Month(s.Date), s.Scope.Name, s.Level.Chinese()),
		Recipients: recipients(s.Scope, s.Level),
		Paragraphs: []string{text, "具体排名情况见附件。"},
		Issuer:     s.Bureau,
		Date:       s.Issued,
		Table: export.Tabulate(r, export.TableOptions{Highlight: s.Focus.Code, Issuer: s.Bureau, Made: s.Issued,
			Attachment: "附件", Tree: s.Tree}),
	}
	d.Chart, d.ChartWidth, d.ChartHeight, err = rankingPNG(ctx, r, s.Focus.Code)
	if errors.Is(err, headless.ErrNoBrowser) {
		return d, "no Chromium is installed: the document has no chart (" + err.Error() + ")", nil
	}
	if err != nil {
		return d, "", fmt.Errorf("draw the chart: %w", err)
	}
	return d, "", nil
}

// recipients is the 主送 line: the bureaus one level below the scope.
func recipients(scope units.Node, level units.Level) string {
	switch scope.Level {
	case units.Province:
		return "各市、县（市、区）委老干部局："
	case units.City:
		return "各县（市、区）委老干部局："
	}
	return "各有关单位："
}

// rankingPNG draws the ranking chart, cut to its first and last
// chartRows/2 units when longer, as a PNG.
func rankingPNG(ctx context.Context, r *rank.Ranking, focus string) ([]byte, int, int, error) {
	shown := *r
	o := charts.Options{Highlight: focus}
	if r.Ranked > chartRows {
		var ranked []rank.Row
		for _, row := range r.Rows {
			if row.Rank > 0 {
				ranked = append(ranked, row)
			}
		}
		half := chartRows / 2
		shown.Rows = append(append([]rank.Row{}, ranked[:half]...), ranked[len(ranked)-half:]...)
		o.Title = fmt.Sprintf("%s（前%d位与后%d位）", wording.ChartTitle(r), half, half)
	}
	panel := charts.Ranking(&shown, o)
	dir, err := os.MkdirTemp("", "followrank-chart-")
	if err != nil {
		return nil, 0, 0, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "chart.html")
	f, err := os.Create(path)
	if err != nil {
		return nil, 0, 0, err
	}
	err = charts.Page{Panels: []charts.Panel{panel}}.Write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, 0, 0, err
	}
	br, err := headless.Open(ctx, path, 900, panel.Height+60)
	if err != nil {
		return nil, 0, 0, err
	}
	defer br.Close()
	pic, err := br.PNG()
	if err != nil {
		return nil, 0, 0, err
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(pic))
	if err != nil {
		return nil, 0, 0, err
	}
	return pic, cfg.Width, cfg.Height, nil
}

// ErrNoPrinter says neither LibreOffice nor Chromium is installed to make a PDF with.
var ErrNoPrinter = errors.New("a PDF needs LibreOffice or Chromium and neither is installed: on Debian/Ubuntu, apt-get install libreoffice-writer-nogui (or chromium); or write the .docx and convert it in Word or WPS")

// PDF prints the document: the DOCX through LibreOffice when the machine
// has it, so the PDF is the document Word opens; else the same layout as
// HTML through Chromium.
func PDF(ctx context.Context, d export.Document) ([]byte, error) {
	dir, err := os.MkdirTemp("", "followrank-tongbao-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	docx := filepath.Join(dir, "tongbao.docx")
	var buf bytes.Buffer
	if err := export.WriteDOCX(&buf, d); err != nil {
		return nil, err
	}
	if err := os.WriteFile(docx, buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	pdf, err := headless.OfficePDF(ctx, docx)
	if !errors.Is(err, headless.ErrNoOffice) {
		return pdf, err
	}
	page := filepath.Join(dir, "tongbao.html")
	buf.Reset()
	if err := export.WriteHTML(&buf, d); err != nil {
		return nil, err
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	br, err := headless.Open(ctx, page, 794, 1123)
	if errors.Is(err, headless.ErrNoBrowser) {
		return nil, ErrNoPrinter
	}
	if err != nil {
		return nil, err
	}
	defer br.Close()
	return br.PDF(export.PageFooter)
}
