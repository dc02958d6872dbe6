package web

import (
	"html/template"
	"net/http"
	"time"
)

var runsPage = template.Must(template.New("runs").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") },
	"secs": func(a, b time.Time) string { return b.Sub(a).Round(100 * time.Millisecond).String() },
}).Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>followrank · 数据采集记录</title>
<style>
body { font-family: "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
th { background: #d9e1f2; } .ok { color: #2e7d32; } .partial { color: #b26a00; } .failed { color: #c62828; font-weight: bold; } .running { color: #1565c0; } .interrupted { color: #c62828; }
</style></head><body>
<h1>数据采集记录 (ingestion runs)</h1>
<p>最近 {{len .}} 次。ok: 全部入库; partial: 部分行被拒; failed: 失败 (见错误); interrupted: 进程中断 (重新运行即可补全)。</p>
<table>
<tr><th>开始时间</th><th>来源</th><th>状态</th><th>入库行数</th><th>拒收行数</th><th>用时</th><th>错误</th></tr>
{{range .}}<tr><td>{{when .Started}}</td><td>{{.Source}}</td><td class="{{.Status}}">{{.Status}}</td><td>{{.Accepted}}</td><td>{{.Rejected}}</td><td>{{secs .Started .Finished}}</td><td>{{.Error}}</td></tr>
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
	if err := runsPage.Execute(w, runs); err != nil {
		s.log.Error("write runs page", "err", err)
	}
}
