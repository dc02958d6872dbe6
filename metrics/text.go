package metrics

import (
	"fmt"
	"strings"
	"time"
)

// Title is the ranking table's title line, e.g. 安徽省各县(市、区)关注情况通报(截至2024年6月30日).
func (r *Ranking) Title() string {
	return fmt.Sprintf("%s各%s关注“离退休干部工作”公众号情况通报(截至%d年%d月%d日)",
		r.Within.Name, r.Level.Chinese(), r.Date.Year(), r.Date.Month(), r.Date.Day())
}

// Footnote states the rules the figures follow, the staleness marks and
// when the table was generated.
func (r *Ranking) Footnote(generated time.Time) string {
	notes := []string{
		"注:1. 关注率 = 关注人数 ÷ 离退休干部数;上级单位未单独报送时,按所辖单位合计计算(Σ关注人数 ÷ Σ离退休干部数)。",
		"2. 按关注率由高到低排名,关注率相同(精确到0.01个百分点)的并列,并列时按单位代码排列。",
		fmt.Sprintf("3. 各单位数据取截至统计日最近一次报送;标“*”的单位最近一次报送早于统计日%d天以上。", r.StaleDays),
	}
	if !r.Compare.IsZero() {
		notes = append(notes, fmt.Sprintf("4. 上期为截至%d年%d月%d日。", r.Compare.Year(), r.Compare.Month(), r.Compare.Day()))
	}
	notes = append(notes, "生成时间:"+generated.Format("2006-01-02 15:04")+"(followrank)")
	return strings.Join(notes, "\n")
}
