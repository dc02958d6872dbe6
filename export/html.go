package export

import (
	"encoding/base64"
	"html/template"
	"io"

	"followrank/wording"
)

// WriteHTML writes the document as one HTML page laid out for printing on
// A4, as the DOCX is: for a PDF through Chromium on a machine without
// LibreOffice. Chromium adds the page numbers (see PageFooter).
func WriteHTML(w io.Writer, d Document) error {
	var chart template.URL
	if len(d.Chart) > 0 {
		chart = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(d.Chart))
	}
	return documentHTML.Execute(w, struct {
		Document
		Chart          template.URL
		Date, TableDay string
		Kinds          map[LineKind]string
	}{d, chart, wording.Date(d.Date), wording.Date(d.Table.Made),
		map[LineKind]string{Body: "", Top: "top", Bottom: "bottom", Highlight: "highlight", Total: "total", Reported: "total"}})
}

// PageFooter is the footer Chromium prints on every page of WriteHTML's
// page: 第 1 页 共 3 页.
const PageFooter = `<div style="font-family:'SimSun','宋体',serif;font-size:10px;width:100%;text-align:center">第 <span class="pageNumber"></span> 页 共 <span class="totalPages"></span> 页</div>`

var documentHTML = template.Must(template.New("doc").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { margin: 0; font-family: "FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", serif; font-size: 16pt; line-height: 28pt; color: #000; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimHei", "黑体", sans-serif; font-size: 22pt; line-height: 1.4; font-weight: normal; text-align: center; margin: 0 0 28pt; }
p { margin: 0; text-align: justify; }
p.body { text-indent: 2em; }
img { display: block; width: 100%; margin: 14pt 0; }
.sign { text-align: right; margin-top: 28pt; }
.annex { page-break-before: always; }
.label { font-family: "SimHei", "黑体", sans-serif; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 16pt; line-height: 1.4; font-weight: normal; text-align: center; margin: 8pt 0; }
.maker { display: flex; justify-content: space-between; font-family: "SimSun", "宋体", serif; font-size: 10.5pt; line-height: 1.6; }
table { width: 100%; border-collapse: collapse; font-family: "SimSun", "宋体", serif; font-size: 10pt; line-height: 1.3; }
th, td { border: 0.5pt solid #666; padding: 2pt 3pt; text-align: center; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th { background: #D9E1F2; }
tr.top td { background: #E2EFDA; } tr.bottom td { background: #F2F2F2; }
tr.highlight td { background: #FCE4D6; font-weight: bold; } tr.total td { background: #D9E1F2; font-weight: bold; }
.notes { font-family: "SimSun", "宋体", serif; font-size: 9pt; line-height: 1.5; margin-top: 6pt; }
</style></head><body data-charts="none">
<h1>{{.Title}}</h1>
{{if .Recipients}}<p>{{.Recipients}}</p>{{end}}
{{range .Paragraphs}}<p class="body">{{.}}</p>
{{end}}{{if .Chart}}<img src="{{.Chart}}" alt="排名图">{{end}}
<div class="sign">{{if .Issuer}}<p>{{.Issuer}}</p>{{end}}<p>{{.Date}}</p></div>
<section class="annex">
{{if .Table.Attachment}}<p class="label">{{.Table.Attachment}}</p>{{end}}
<h2>{{.Table.Title}}</h2>
<div class="maker"><span>{{if .Table.Issuer}}制表单位：{{.Table.Issuer}}{{end}}</span><span>制表日期：{{.TableDay}}</span></div>
<table><thead><tr>{{range .Table.Columns}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Table.Lines}}<tr class="{{index $.Kinds .Kind}}">{{range .Cells}}<td>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table>
<div class="notes">{{range .Table.Notes}}<p>{{.}}</p>{{end}}</div>
</section>
</body></html>
`))
