package web

import (
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"

	"followrank/catalog"
	"followrank/units"
)

// langOf is the language of the interface a request reads: Chinese, or
// English when asked for (?lang=en) or when the browser prefers English
// to Chinese. The charts, tables and documents stay Chinese: they are the
// 通报 itself.
func langOf(r *http.Request) string {
	switch r.URL.Query().Get("lang") {
	case "en":
		return "en"
	case "zh":
		return "zh"
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.Split(part, ";")[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return "zh"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "zh"
}

// words are the interface's words in a language, keyed by their Chinese.
func words(lang string) map[string]string {
	if lang == "en" {
		return english
	}
	return chinese
}

var english = map[string]string{
	"上月": "Last month", "去年同期": "Same month last year", "统计日期": "As of", "对比": "Compared with",
	"查看": "Show", "查找": "Find", "单位名称或拼音首字母，如 蒙城、mc": "Unit name or pinyin initials, e.g. 蒙城, mc",
	"通报 Word": "Report (Word)", "通报 PDF": "Report (PDF)", "排名表 Excel": "Table (Excel)", "打印": "Print",
	"展开全部（共%d个）": "Show all %d", "没有找到": "Nothing found.", "返回首页": "Back to the start",
	"出错了": "Something went wrong", "请求有误": "The request cannot be answered",
	"数据暂时无法读取，请稍后再试；管理员可查看服务日志。": "The figures could not be read; try again later. The administrator can see the server log.",
	"数据采集记录": "Ingestion runs", "开始时间": "Started", "来源": "Source", "内容": "What was read", "状态": "Status", "入库行数": "Stored",
	"拒收行数": "Rejected", "用时": "Took", "错误": "Error",
	"退出": "Sign out", "拒收的行": "Rejected rows", "文件": "File", "行": "Line", "栏目": "Field", "原因": "Why", "原文": "As read",
	"这次采集没有拒收的行": "This run rejected no rows.",
	"ok":         "ok", "partial": "partly rejected", "failed": "failed", "running": "running", "interrupted": "interrupted",
	"催报": "Reminders", "排名看板": "Rankings", "催报清单 Excel": "Reminders (Excel)",
	"复制": "Copy", "全部复制": "Copy all", "已复制": "Copied", "请长按文字复制": "Select the text to copy it",
}

var chinese = func() map[string]string {
	m := map[string]string{"ok": "成功", "partial": "部分拒收", "failed": "失败", "running": "进行中", "interrupted": "中断（重新运行即可补全）"}
	for k := range english {
		if _, ok := m[k]; !ok {
			m[k] = k
		}
	}
	return m
}()

func gzipWriter(w io.Writer) *gzip.Writer {
	z, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	return z
}

// unitWords says, in the reader's language, why a name in the address
// names no unit: unknown (with the closest known) or ambiguous.
func unitWords(lang string, err error) (string, bool) {
	p := catalog.New(catalog.Chinese)
	if lang == "en" {
		p = catalog.New(catalog.English)
	}
	names := func(ns []units.Node) string {
		var out []string
		for _, n := range ns {
			out = append(out, n.Name)
		}
		return p.List(out...)
	}
	var unknown *units.UnknownError
	var amb *units.AmbiguousError
	switch {
	case errors.As(err, &unknown) && len(unknown.Suggestions) > 0:
		return p.Say(catalog.UnitUnknownNear, unknown.Query, "", names(unknown.Suggestions)), true
	case errors.As(err, &unknown):
		return p.Say(catalog.UnitUnknown, unknown.Query, ""), true
	case errors.As(err, &amb):
		return p.Say(catalog.UnitAmbiguous, amb.Query, names(amb.Candidates)), true
	}
	return "", false
}
