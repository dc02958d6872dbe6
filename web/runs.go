package web

import (
	"html/template"
	"net/http"
	"time"
)

var runsPage = template.Must(template.New("runs").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") },
	"secs": func(a, b time.Time) string { return b.Sub(a).Round(100 * time.Millisecond).String() },
	"source": func(s string) string {
		if n, ok := sourceNames[s]; ok {
			return n + "（" + s + "）"
		}
		return s
	},
}).Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>followrank · 数据采集记录</title>
<style>
body { font-family: "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
th { background: #d9e1f2; } .ok { color: #2e7d32; } .partial { color: #b26a00; } .failed { color: #c62828; font-weight: bold; } .running { color: #1565c0; } .interrupted { color: #c62828; }
</style></head><body>
<h1>{{index .Say "数据采集记录"}}</h1>
<table>
<tr><th>{{index .Say "开始时间"}}</th><th>{{index .Say "来源"}}</th><th>{{index .Say "内容"}}</th><th>{{index .Say "状态"}}</th><th>{{index .Say "入库行数"}}</th><th>{{index .Say "拒收行数"}}</th><th>{{index .Say "用时"}}</th><th>{{index .Say "错误"}}</th></tr>
{{range .Runs}}<tr><td>{{when .Started}}</td><td>{{source .Source}}</td><td>{{range $i, $it := .Items}}{{if $i}}<br>{{end}}{{$it}}{{end}}</td><td class="{{.Status}}">{{index $.Say .Status}}</td><td>{{.Accepted}}</td><td>{{if .Rejected}}<a href="/runs/{{.ID}}">{{.Rejected}}</a>{{else}}0{{end}}</td><td>{{secs .Started .Finished}}</td><td>{{.Error}}</td></tr>
{{end}}</table>
</body></html>
`))

func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	if _, err := s.rec.Sweep(r.Context()); err != nil {
		s.log.Warn("could not look for interrupted runs", "err", err)
	}
	runs, err := s.store.Runs(r.Context(), 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := runsPage.Execute(w, map[string]any{"Runs": runs, "Say": words(langOf(r))}); err != nil {
		s.log.Error("write runs page", "err", err)
	}
}

// sourceNames say in Chinese where a run's figures came from.
var sourceNames = map[string]string{"inbox": "收件箱报表", "api": "接口报送", "import": "命令行导入", "demo": "演示数据", "wechat": "微信公众号"}

var rejectionsPage = template.Must(template.New("rejections").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>followrank · {{index .Say "拒收的行"}}</title>
<style>
body { font-family: "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #d9e1f2; } td.raw { color: #666; font-size: 13px; }
</style></head><body>
<h1>{{index .Say "拒收的行"}}</h1>
<p><a href="/runs">{{index .Say "数据采集记录"}}</a> › {{.ID}}</p>
<table>
<tr><th>{{index .Say "文件"}}</th><th>{{index .Say "行"}}</th><th>{{index .Say "栏目"}}</th><th>{{index .Say "原因"}}</th><th>{{index .Say "原文"}}</th></tr>
{{range .Rows}}<tr><td>{{.File}}</td><td>{{.Line}}</td><td>{{.Field}}</td><td>{{.Reason}}</td><td class="raw">{{.Raw}}</td></tr>
{{end}}</table>
</body></html>
`))

// rejections lists the rows a run could not take: file, line, field and
// why, as the office that sent them needs to hear it.
func (s *Server) rejections(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	rows, err := s.store.Rejections(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(rows) == 0 {
		s.errorPage(w, r, http.StatusNotFound, "请求有误", words(langOf(r))["这次采集没有拒收的行"])
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := rejectionsPage.Execute(w, map[string]any{"ID": id, "Rows": rows, "Say": words(langOf(r))}); err != nil {
		s.log.Error("write rejections page", "err", err)
	}
}
