package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"followrank/model"
	"followrank/store/storetest"
)

// TestRollUpsKeptPerKey: kept roll-ups are read back as saved, for the days
// and units asked only; keeping those of another key drops the first's.
func TestRollUpsKeptPerKey(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	may, june := day("2024-05-31"), day("2024-06-30")
	v1 := []model.RollUp{
		{Unit: "000000", Date: may, Members: 300, Followers: 150, ReportDate: may},
		{Unit: "340000", Date: may, Members: 200, Followers: 100, ReportDate: may},
		{Unit: "340000", Date: june, Members: 200, Followers: 120, Reported: true, ReportDate: june},
		{Unit: "320000", Date: june, Members: 100, Followers: 90, Stale: true, ReportDate: day("2024-03-31")},
	}
	if err := s.SaveRollUps(ctx, "v1", v1); err != nil {
		t.Fatal(err)
	}
	read := func(key string, days []time.Time, codes ...string) []model.RollUp {
		t.Helper()
		got, err := s.RollUps(ctx, key, days, codes)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(got, func(a, b model.RollUp) int {
			return strings.Compare(a.Date.String()+a.Unit, b.Date.String()+b.Unit)
		})
		return got
	}
	if got := read("v1", []time.Time{may, june}, "000000", "340000", "320000"); !slices.Equal(got, []model.RollUp{v1[0], v1[1], v1[3], v1[2]}) {
		t.Errorf("read back\n got %+v\nwant %+v", got, v1)
	}
	if got := read("v1", []time.Time{june}, "340000"); !slices.Equal(got, []model.RollUp{v1[2]}) {
		t.Errorf("June's 340000: got %+v", got)
	}
	if got := read("v0", []time.Time{june}, "340000"); len(got) != 0 {
		t.Errorf("another key's roll-ups: got %+v", got)
	}
	if err := s.SaveRollUps(ctx, "v2", v1[:1]); err != nil {
		t.Fatal(err)
	}
	if got := read("v1", []time.Time{may, june}, "000000", "340000"); len(got) != 0 {
		t.Errorf("v1's roll-ups outlived v2's: %+v", got)
	}
	if got := read("v2", []time.Time{may}, "000000"); !slices.Equal(got, v1[:1]) {
		t.Errorf("v2: got %+v", got)
	}
}
