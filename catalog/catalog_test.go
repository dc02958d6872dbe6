package catalog_test

import (
	"strings"
	"testing"

	"followrank/catalog"
	"followrank/model"
)

func TestEveryMessageInBothLanguages(t *testing.T) {
	zh, en := catalog.New(catalog.Chinese), catalog.New(catalog.English)
	tests := []struct {
		code   catalog.Code
		args   []any
		zh, en string
	}{
		{catalog.UnitUnknownNear, []any{"蒙成县", "", "蒙城县"}, "未知单位“蒙成县”，是否为：蒙城县？", `unknown unit "蒙成县"; did you mean: 蒙城县?`},
		{catalog.FollowersOver, []any{120, 100}, "120，大于离退休干部数100", "120 > members 100"},
		{catalog.FollowersOver, []any{uint64(12000), uint64(10000)}, "12000，大于离退休干部数10000", "12000 > members 10000"},
		{catalog.OverHundred, []any{"120%"}, "“120%”超过100%", `"120%" is over 100%`},
		{catalog.RankSummary, nil, "显示截至某日的排名", "print the ranking as of a date"},
		{catalog.FlagBadValue, []any{"date", "yesterday", "…"}, "--date 的值“yesterday”不对：…", `invalid value "yesterday" for flag -date: …`},
		{catalog.NoSuchUnitScope, []any{"--within", "蒙成县", "安徽省", ""}, "--within：安徽省范围内没有单位“蒙成县”", `--within: unknown unit "蒙成县" within 安徽省`},
		{catalog.SourcesFailed, []any{1, 2}, "2个数据源中有1个失败", "1 of 2 sources failed"},
	}
	for _, tt := range tests {
		if got := zh.Say(tt.code, tt.args...); got != tt.zh {
			t.Errorf("%s zh: %q, want %q", tt.code, got, tt.zh)
		}
		if got := en.Say(tt.code, tt.args...); got != tt.en {
			t.Errorf("%s en: %q, want %q", tt.code, got, tt.en)
		}
	}
}

func TestRejectionLines(t *testing.T) {
	r := model.Rejection{File: "june.csv", Line: 5, Field: "unit", Reason: "未知单位“蒙成县”，是否为：蒙城县？"}
	if got, want := catalog.New(catalog.Chinese).Rejection(r), "june.csv 第5行 单位：未知单位“蒙成县”，是否为：蒙城县？"; got != want {
		t.Errorf("zh: %q, want %q", got, want)
	}
	if got := catalog.New(catalog.English).Rejection(r); !strings.HasPrefix(got, "june.csv:5: unit: ") {
		t.Errorf("en: %q", got)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]catalog.Lang{"": catalog.Chinese, "zh-CN": catalog.Chinese, "EN": catalog.English, "中文": catalog.Chinese} {
		if got, err := catalog.ParseLang(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := catalog.ParseLang("fr"); err == nil {
		t.Error("fr accepted")
	}
}

func TestListAndOrInBothLanguages(t *testing.T) {
	zh, en := catalog.New(catalog.Chinese), catalog.New(catalog.English)
	for _, tt := range []struct{ got, want string }{
		{zh.List("蒙城县", "涡阳县"), "蒙城县、涡阳县"},
		{en.List("蒙城县", "涡阳县"), "蒙城县, 涡阳县"},
		{zh.Or("table", "csv", "json"), "table、csv 或 json"},
		{en.Or("table", "csv", "json"), "table, csv or json"},
		{en.Or("xlsx", "csv"), "xlsx or csv"},
		{en.Or("xlsx"), "xlsx"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
