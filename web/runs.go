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
<tr><th>{{index .Say "开始时间"}}</th><th>{{index .Say "来源"}}</th><th>{{index .Say "状态"}}</th><th>{{index .Say "入库行数"}}</th><th>{{index .Say "拒收行数"}}</th><th>{{index .Say "用时"}}</th><th>{{index .Say "错误"}}</th></tr>
{{range .Runs}}<tr><td>{{when .Started}}</td><td>{{source .Source}}</td><td class="{{.Status}}">{{index $.Say .Status}}</td><td>{{.Accepted}}</td><td>{{.Rejected}}</td><td>{{secs .Started .Finished}}</td><td>{{.Error}}</td></tr>
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
