// Package demo generates the demo figures: Anhui's counties over 18
// months, in which 蒙城县 climbs from near the bottom of the province to
// near the top.
package demo

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"followrank/model"
	"followrank/units"
)

// Generator generates figures for Anhui's county-level divisions: 18 month-end
// reports (January 2023 to June 2024) of members and followers, and daily
// engagement. The same tree always gives the same figures. 蒙城县 (341622)
// starts near the bottom of the province and climbs to near the top, as in
// the speech this program started from.
type Generator struct {
	Province string    // code of the province whose counties report
	First    time.Time // first month end
	Months   int
}

// New returns the demo generator for Anhui, 2023-01 to 2024-06.
func New() Generator {
	return Generator{Province: "340000", First: time.Date(2023, 1, 31, 0, 0, 0, 0, time.UTC), Months: 18}
}

// Climber is the county whose climb the demo tells.
const Climber = "341622" // 蒙城县

// MonthEnds lists the demo's report dates.
func (d Generator) MonthEnds() []time.Time {
	out := make([]time.Time, d.Months)
	for i := range out {
		out[i] = time.Date(d.First.Year(), d.First.Month()+time.Month(i)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return out
}

// Units are the climber's own units (its bureaus, towns and streets), so
// that a county's dashboard has units to rank, as a county's would.
func (d Generator) Units() []units.Node {
	names := []string{"县委组织部", "县财政局", "县教育局", "县卫生健康委员会", "县人力资源和社会保障局", "县公安局",
		"县农业农村局", "城关街道", "漆园街道", "庄周街道", "双涧镇", "小涧镇", "坛城镇", "许疃镇", "板桥集镇", "马集镇", "岳坊镇", "立仓镇"}
	out := make([]units.Node, len(names))
	for i, n := range names {
		out[i] = units.Node{Code: fmt.Sprintf("%s%03d", Climber, i+1), Name: n, Parent: Climber, Level: units.Unit}
	}
	return out
}

// Figures returns every demo figure, ordered by unit then date: the
// counties' month-end reports and daily engagement, and the month-end
// reports of the units below counties that tree holds.
func (d Generator) Figures(tree *units.Tree) []model.Figure {
	ends := d.MonthEnds()
	start := time.Date(ends[0].Year(), ends[0].Month(), 1, 0, 0, 0, 0, time.UTC)
	var out []model.Figure
	for _, c := range tree.Descendants(d.Province, units.County) {
		out = append(out, d.county(c.Code, start, ends)...)
		for _, u := range tree.Children(c.Code) {
			if u.Level == units.Unit {
				out = append(out, d.unit(u.Code, ends)...)
			}
		}
	}
	return out
}

// unit generates a unit's month-end reports: a few dozen to a few hundred
// retired cadres, following on from a rate of its own.
func (d Generator) unit(code string, ends []time.Time) []model.Figure {
	h := fnv.New64a()
	h.Write([]byte(code))
	rng := rand.New(rand.NewPCG(h.Sum64(), 2024))
	members := 30 + rng.IntN(270)
	from := 0.25 + 0.5*rng.Float64()
	to := math.Min(from+0.1+0.3*rng.Float64(), 1)
	out := make([]model.Figure, len(ends))
	for k, end := range ends {
		rate := from + (to-from)*float64(k)/float64(len(ends)-1)
		out[k] = model.Figure{Unit: code, Date: end, HasStock: true, Members: uint32(members), Followers: uint32(math.Round(float64(members) * rate))}
	}
	return out
}

// county generates one county's series from a generator seeded by its code,
// so a county's figures do not depend on which other counties exist.
func (d Generator) county(code string, start time.Time, ends []time.Time) []model.Figure {
	h := fnv.New64a()
	h.Write([]byte(code))
	rng := rand.New(rand.NewPCG(h.Sum64(), 2024))

	members := 600 + rng.IntN(4400)
	from := 0.28 + 0.45*rng.Float64()
	to := math.Min(from+0.06+0.22*rng.Float64(), 0.985)
	mid, steep := 8.5, 0.45 // when and how sharply the county improves
	activity := 0.04 + 0.11*rng.Float64()
	if code == Climber {
		from, to, mid, steep, activity = 0.292, 0.958, 9, 0.75, 0.16
	}

	// Month-end stocks.
	n := len(ends)
	mem := make([]uint32, n)
	fol := make([]uint32, n)
	lo, hi := logistic(0, mid, steep), logistic(float64(n-1), mid, steep)
	for k := range ends {
		if k > 0 {
			members += rng.IntN(21) - 8 // retirements in, deaths out
		}
		p := (logistic(float64(k), mid, steep) - lo) / (hi - lo)
		rate := from + (to-from)*p + 0.006*(rng.Float64()-0.5)
		rate = math.Max(0.05, math.Min(rate, 0.995))
		mem[k] = uint32(members)
		fol[k] = uint32(math.Round(float64(members) * rate))
	}

	// Daily engagement, by followers interpolated between month ends.
	var out []model.Figure
	k := 0
	for day := start; !day.After(ends[n-1]); day = day.AddDate(0, 0, 1) {
		for day.After(ends[k]) {
			k++
		}
		followers := float64(fol[k])
		if k > 0 {
			prevEnd := ends[k-1]
			span := ends[k].Sub(prevEnd).Hours() / 24
			t := day.Sub(prevEnd).Hours() / 24 / span
			followers = float64(fol[k-1]) + t*(float64(fol[k])-float64(fol[k-1]))
		}
		weekday := 1.0
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			weekday = 0.6
		}
		reads := followers * activity * weekday * (0.7 + 0.6*rng.Float64())
		f := model.Figure{
			Unit: code,
			Date: day,
			Engagement: model.Engagement{
				Reads:    uint64(math.Round(reads)),
				Shares:   uint64(math.Round(reads * (0.04 + 0.04*rng.Float64()))),
				Likes:    uint64(math.Round(reads * (0.03 + 0.03*rng.Float64()))),
				Wow:      uint64(math.Round(reads * (0.01 + 0.02*rng.Float64()))),
				Comments: uint64(math.Round(reads * 0.004 * rng.Float64())),
			},
		}
		if day.Equal(ends[k]) {
			f.HasStock, f.Members, f.Followers = true, mem[k], fol[k]
		}
		out = append(out, f)
	}
	return out
}

func logistic(x, mid, steep float64) float64 { return 1 / (1 + math.Exp(-steep*(x-mid))) }
