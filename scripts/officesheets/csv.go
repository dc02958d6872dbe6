package main

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// csvSheets are the sheets offices save from Chinese Excel as "CSV (逗号分隔)":
// GBK with CRLF line ends. They need no LibreOffice: they are written
// straight into ingest/testdata/offices, beside the workbooks, and
// README.md there lists what each holds and how it imports.
var csvSheets = map[string]string{
	// 黄山 is ambiguous in China (黄山市, and 黄山区 of 黄山市), not in a
	// table of Anhui's cities: it is 黄山市, with a note.
	"anhui-cities-2024-06.csv": `安徽省各市关注“离退休干部工作”公众号情况（截至2024年6月30日）
序号,地区,离退休干部数,关注人数,关注率
1,合肥,5210,4630,88.87%
2,芜湖,3120,2411,77.28%
3,黄山,1207,1002,83.02%
4,亳州,7748,5353,69.09%
`,
	// The title says 全省 without naming the province: the configured
	// scope (安徽省, the default) is meant, not all of China.
	"quansheng-cities-2024-06.csv": `全省各市关注情况通报（2024年6月）
地区,离退休干部数,关注人数
合肥市,5210,4630
宿州市,3301,2208
`,
	// 蒙城县's units as a bureau imports them (followrank units import).
	"mengcheng-units.csv": `单位代码,单位名称,上级代码,别名
341622001,县财政局,341622,
341622002,漆园街道,341622,
341622003,县卫生健康委员会,341622,
341622004,小涧镇,341622,
341622005,蒙城县人力资源和社会保障局,341622,
`,
	// Their figures as the units write their names.
	"mengcheng-units-2024-06.csv": `蒙城县各单位关注情况统计表（截至2024年6月30日）
单位,离退休干部数,关注人数
财政局,40,30
漆园街道办事处,120,96
县卫健委,60,50
小涧镇人民政府,80,40
人社局,35,35
制表人：王五,,
`,
	// 毫州 for 亳州: rejected, with 亳州市 as the one suggestion; the other
	// rows are stored (exit status 1).
	"cities-typo-2024-06.csv": `安徽省各市关注情况（截至2024年6月30日）
地区,离退休干部数,关注人数
合肥市,5210,4630
毫州市,7748,5353
`,
	// A totals row that disagrees with its rows: a warning with both.
	"bozhou-totals-2024-06.csv": `亳州市各县（市、区）关注情况
序号,单位,离退休干部数,关注人数
1,谯城区,2618,1665
2,涡阳县,1789,859
合计,,4500,2600
`,
}

// writeCSVSheets writes csvSheets into dir as Chinese Excel saves CSV.
func writeCSVSheets(dir string) error {
	enc := simplifiedchinese.GBK.NewEncoder()
	for name, body := range csvSheets {
		gbk, err := enc.String(strings.ReplaceAll(body, "\n", "\r\n"))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(gbk), 0o644); err != nil {
			return err
		}
	}
	return nil
}
