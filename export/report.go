package export

import (
	"fmt"
	"sort"
	"strings"

	"followrank/rank"
	"followrank/wording"
)

// Draft writes the paragraph of a 通报 from a ranking with a comparison: the
// overall rate and its change, the top three and bottom three, the biggest
// climbers and, when focus names a ranked unit, its place and change. Every
// number comes from the ranking, so the text agrees with the table.
func Draft(r *rank.Ranking, focus string) string {
	var b strings.Builder
	scope, level := r.Within.Name, r.Level.Chinese()
	fmt.Fprintf(&b, "截至%s，%s离退休干部%s人，已关注“离退休干部工作”公众号%s人，关注率%s",
		wording.Date(r.Date), scope, thousands(r.Total.Members), thousands(r.Total.Followers), wording.Percent(r.Total.Rate()))
	if !r.Compare.IsZero() && r.PrevTotal.HasData() {
		diff := (r.Total.Rate() - r.PrevTotal.Rate()) * 100
		switch {
		case diff >= 0.005:
			fmt.Fprintf(&b, "，较上期（%s）提高%.2f个百分点", wording.Date(r.Compare), diff)
		case diff <= -0.005:
			fmt.Fprintf(&b, "，较上期（%s）下降%.2f个百分点", wording.Date(r.Compare), -diff)
		default:
			fmt.Fprintf(&b, "，与上期（%s）持平", wording.Date(r.Compare))
		}
	}
	b.WriteString("。")

	var ranked []rank.Row
	for _, row := range r.Rows {
		if row.Rank > 0 {
			ranked = append(ranked, row)
		}
	}
	if len(ranked) == 0 {
		fmt.Fprintf(&b, "各%s均未报送数据。", level)
		return b.String()
	}
	n := min(3, len(ranked))
	fmt.Fprintf(&b, "%d个%s中，关注率排名前%d位的是%s", len(ranked), level, n, listRows(ranked[:n]))
	if len(ranked) > 6 {
		fmt.Fprintf(&b, "；排名后%d位的是%s", n, listRows(ranked[len(ranked)-n:]))
	}
	b.WriteString("。")

	var climbers []rank.Row
	for _, row := range ranked {
		if ch, ok := row.Change(); ok && ch > 0 {
			climbers = append(climbers, row)
		}
	}
	sort.SliceStable(climbers, func(i, j int) bool {
		ci, _ := climbers[i].Change()
		cj, _ := climbers[j].Change()
		return ci > cj
	})
	if len(climbers) > 0 {
		var parts []string
		for _, row := range climbers[:min(3, len(climbers))] {
			ch, _ := row.Change()
			parts = append(parts, fmt.Sprintf("%s（由第%d位升至第%d位，上升%d位）", row.Unit.Name, row.PrevRank, row.Rank, ch))
		}
		fmt.Fprintf(&b, "与上期相比，位次上升较多的是%s。", strings.Join(parts, "、"))
	}

	if focus != "" {
		if row, ok := r.Find(focus); ok && row.Rank > 0 {
			fmt.Fprintf(&b, "%s关注率%s，居%s第%d位", row.Unit.Name, wording.Percent(row.Rate()), r.Within.Whole(), row.Rank)
			if ch, ok := row.Change(); ok {
				switch {
				case ch > 0:
					fmt.Fprintf(&b, "，较上期上升%d位", ch)
				case ch < 0:
					fmt.Fprintf(&b, "，较上期下降%d位", -ch)
				default:
					b.WriteString("，与上期位次持平")
				}
			}
			b.WriteString("。")
		}
	}
	return b.String()
}

func listRows(rows []rank.Row) string {
	parts := make([]string, len(rows))
	for i, row := range rows {
		parts[i] = fmt.Sprintf("%s（%s）", row.Unit.Name, wording.Percent(row.Rate()))
	}
	return strings.Join(parts, "、")
}

func thousands(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
