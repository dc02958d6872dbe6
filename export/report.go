package export

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"followrank/rank"
	"followrank/wording"
)

// Draft writes the paragraph of a 通报 from a ranking: the overall figures
// (the table's 合计, and the scope's own report when it differs) and their
// change, how fresh the figures are, who did not report, the first and last
// three, who climbed most and, when focus names a ranked unit, its place.
// Every number comes from the ranking, so the text agrees with the table;
// the comparison is named as its dates imply (较上月, 较上季度, 较去年同期).
// It refuses a ranking that cannot be reported truthfully: a comparison
// date after the date, or no figures as of the date.
func Draft(r *rank.Ranking, focus string) (string, error) {
	return DraftWith(r, DraftOptions{Focus: focus})
}

// DraftOptions are the choices a drafted 通报 offers.
type DraftOptions struct {
	// Focus is the code of the unit whose place the text states; empty for none.
	Focus string
	// Target gives a unit's target follow rate (省定目标) by its code, false
	// for none; the text then counts the ranked units that reach theirs
	// (达标单位N个). Nil for no targets.
	Target func(code string) (float64, bool)
}

// DraftWith is Draft with the options: with targets, the text also says
// how many units reach them.
func DraftWith(r *rank.Ranking, o DraftOptions) (string, error) {
	focus := o.Focus
	if !r.Compare.IsZero() && !r.Compare.Before(r.Date) {
		return "", fmt.Errorf("对比日期%s不早于统计日期%s：通报只能与此前的日期比较（--compare 应早于 --date）", wording.Date(r.Compare), wording.Date(r.Date))
	}
	sum := Sum(r.Rows)
	var ranked, missing, carried, stale []rank.Row
	for _, row := range r.Rows {
		switch {
		case !row.HasData():
			missing = append(missing, row)
			continue
		case row.Stale:
			stale = append(stale, row)
		case strings.Contains(Remark(r, row), "数据沿用"):
			carried = append(carried, row)
		}
		if row.Rank > 0 {
			ranked = append(ranked, row)
		}
	}
	if len(ranked) == 0 {
		return "", errors.New("截至" + wording.Date(r.Date) + "，" + r.Within.Name + "各" + r.Level.Chinese() + "均无数据，无法通报（统计日期是否早于首次报送？）")
	}
	cmp := wording.Comparison(r.Date, r.Compare)
	scope, level, whole := r.Within.Name, r.Level.Chinese(), r.Within.Whole()

	var b strings.Builder
	fmt.Fprintf(&b, "截至%s，%s离退休干部%s人，已关注“离退休干部工作”公众号%s人，关注率%s",
		wording.Date(r.Date), scope, wording.Count(sum.Members), wording.Count(sum.Followers), wording.Percent(sum.Rate()))
	// The scope's own figures (its report, or the roll-up by levels) are
	// the table's 合计 unless the scope reported figures of its own.
	matches := r.Total.Members == sum.Members && r.Total.Followers == sum.Followers
	if matches {
		b.WriteString(rateChange(cmp, r.Total, r.PrevTotal))
	} else if r.Total.Reported {
		fmt.Fprintf(&b, "（以上为各%s合计；%s自行上报离退休干部%s人、关注%s人，关注率%s%s）",
			level, scope, wording.Count(r.Total.Members), wording.Count(r.Total.Followers), wording.Percent(r.Total.Rate()), rateChange(cmp, r.Total, r.PrevTotal))
	}
	b.WriteString("。")

	// How fresh the figures are, before any ranking is read.
	if len(stale) == len(ranked) {
		fmt.Fprintf(&b, "各%s最近一次报送均早于统计日%d天以上（最近为%s），以下排名依据此前报送的数据，仅供参考。", level, r.StaleDays, wording.Date(latestReport(ranked)))
	} else {
		if len(carried) > 0 {
			fmt.Fprintf(&b, "%s本月未报送新数据，沿用此前报送的数据。", names(carried, level))
		}
		if len(stale) > 0 {
			fmt.Fprintf(&b, "%s最近一次报送早于统计日%d天以上，数据未及时更新。", names(stale, level), r.StaleDays)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, "%s未报送数据，未参加排名。", names(missing, level))
	}

	n := min(3, len(ranked))
	fmt.Fprintf(&b, "参加排名的%d个%s中，关注率居前%d位的是%s", len(ranked), level, n, listRows(ranked[:n], ranked))
	if len(ranked) > 6 {
		fmt.Fprintf(&b, "；居后%d位的是%s", n, listRows(ranked[len(ranked)-n:], ranked))
	}
	b.WriteString("。")
	b.WriteString(targetsMet(ranked, o.Target))

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
		top := climbers[0]
		ch, _ := top.Change()
		fmt.Fprintf(&b, "%s，进步最大的是%s（由第%d位升至第%d位，上升%d位）", cmp.Label, top.Unit.Name, top.PrevRank, top.Rank, ch)
		if len(climbers) > 1 {
			var parts []string
			for _, row := range climbers[1:min(3, len(climbers))] {
				ch, _ := row.Change()
				parts = append(parts, fmt.Sprintf("%s（上升%d位）", row.Unit.Name, ch))
			}
			fmt.Fprintf(&b, "，位次上升较多的还有%s", strings.Join(parts, "、"))
		}
		b.WriteString("。")
	}

	if focus != "" {
		if row, ok := r.Find(focus); ok && row.Rank > 0 {
			fmt.Fprintf(&b, "%s关注率%s，居%s%s", row.Unit.Name, wording.Percent(row.Rate()), whole, position(row, ranked))
			if ch, ok := row.Change(); ok {
				switch {
				case ch > 0:
					fmt.Fprintf(&b, "，%s上升%d位", cmp.Label, ch)
				case ch < 0:
					fmt.Fprintf(&b, "，%s下降%d位", cmp.Label, -ch)
				default:
					fmt.Fprintf(&b, "，与%s位次持平", strings.TrimPrefix(cmp.Label, "较"))
				}
			}
			b.WriteString("。")
		}
	}
	return b.String(), nil
}

// targetsMet says how many ranked units reach their target (省定目标):
// 对照省定目标（关注率90%），达标单位12个，未达标单位6个。 The rate is
// stated when all the units have the same target. Empty without targets.
func targetsMet(ranked []rank.Row, target func(string) (float64, bool)) string {
	if target == nil {
		return ""
	}
	met, below := 0, 0
	rates := map[float64]bool{}
	var rate float64
	for _, row := range ranked {
		t, ok := target(row.Unit.Code)
		if !ok {
			continue
		}
		rates[t], rate = true, t
		if Shortfall(row.State, t) == 0 {
			met++
		} else {
			below++
		}
	}
	if met+below == 0 {
		return ""
	}
	what := "对照省定目标"
	if len(rates) == 1 {
		what += "（关注率" + wording.Target(rate) + "）"
	}
	switch {
	case below == 0:
		return fmt.Sprintf("%s，达标单位%d个，全部达标。", what, met)
	case met == 0:
		return fmt.Sprintf("%s，暂无达标单位，未达标单位%d个。", what, below)
	}
	return fmt.Sprintf("%s，达标单位%d个，未达标单位%d个。", what, met, below)
}

// Shortfall is how many more followers s needs to reach the target rate
// (省定目标): 0 when it reaches it, that is when its followers are at least
// ⌈target × members⌉. The target is read to 0.01 percentage point and
// the product is taken in whole numbers, so that 7% of 100 members asks
// for 7 followers, not 8 for the float 0.07×100 = 7.000000000000001.
func Shortfall(s rank.State, target float64) uint64 {
	bp := uint64(math.Round(target * 10000)) // the target in 0.01 percentage points
	need := (bp*s.Members + 9999) / 10000    // ⌈target × members⌉
	if s.Followers >= need {
		return 0
	}
	return need - s.Followers
}

// rateChange words the change of a rate since the comparison: ，较上月提高
// 0.50个百分点; empty without an earlier figure.
func rateChange(cmp wording.Compared, now, then rank.State) string {
	if !then.HasData() {
		return ""
	}
	diff := (now.Rate() - then.Rate()) * 100
	switch {
	case diff >= 0.005:
		return fmt.Sprintf("，%s提高%.2f个百分点", cmp.Text, diff)
	case diff <= -0.005:
		return fmt.Sprintf("，%s下降%.2f个百分点", cmp.Text, -diff)
	}
	return fmt.Sprintf("，与%s持平", strings.TrimPrefix(cmp.Text, "较"))
}

// position words a place the way an official text does: 第3位, 并列第2位,
// 倒数第2位 in the last three, 末位 for the last.
func position(row rank.Row, ranked []rank.Row) string {
	last := ranked[len(ranked)-1].Rank
	tied := ties(row, ranked)
	switch {
	case row.Rank == last && len(ranked) > 1:
		if tied {
			return "末位（并列）"
		}
		return "末位"
	case len(ranked) > 6 && row.Rank > len(ranked)-3:
		return fmt.Sprintf("倒数第%d位", len(ranked)-row.Rank+1)
	case tied:
		return fmt.Sprintf("并列第%d位", row.Rank)
	}
	return fmt.Sprintf("第%d位", row.Rank)
}

// ties says another ranked unit shares the row's rank.
func ties(row rank.Row, ranked []rank.Row) bool {
	for _, o := range ranked {
		if o.Rank == row.Rank && o.Unit.Code != row.Unit.Code {
			return true
		}
	}
	return false
}

// listRows names rows with their rates, marking shared places.
func listRows(rows, ranked []rank.Row) string {
	parts := make([]string, len(rows))
	for i, row := range rows {
		parts[i] = fmt.Sprintf("%s（%s）", row.Unit.Name, wording.Percent(row.Rate()))
		if ties(row, ranked) {
			parts[i] = fmt.Sprintf("%s（%s，并列第%d位）", row.Unit.Name, wording.Percent(row.Rate()), row.Rank)
		}
	}
	return strings.Join(parts, "、")
}

// names lists units: all of up to five, else the first five and how many.
func names(rows []rank.Row, level string) string {
	var parts []string
	for i, row := range rows {
		if i == 5 {
			return strings.Join(parts, "、") + fmt.Sprintf("等%d个%s", len(rows), level)
		}
		parts = append(parts, row.Unit.Name)
	}
	return strings.Join(parts, "、")
}

func latestReport(rows []rank.Row) (latest time.Time) {
	for _, row := range rows {
		if row.ReportDate.After(latest) {
			latest = row.ReportDate
		}
	}
	return latest
}
