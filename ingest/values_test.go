package ingest

import (
	"testing"
)

func TestHeadingField(t *testing.T) {
	tests := []struct {
		in   string
		want field
	}{
		{"单位", fName}, {"县（市、区）", fName}, {"地 区", fName}, {"区划代码", fCode}, {"离退休干部数\n(人)", fMembers},
		{"应关注人数", fMembers}, {"已关注人数", fFollowers}, {"Followers", fFollowers}, {"关注率(%)", fRate}, {"统计日期", fDate},
		{"阅读量", fReads}, {"转发", fShares}, {"点赞", fLikes}, {"在看", fWow}, {"留言", fComments}, {"排名", fIgnored},
	}
	for _, tt := range tests {
		if got, ok := headingField(tt.in); !ok || got != tt.want {
			t.Errorf("headingField(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	if _, ok := headingField("备注"); ok {
		t.Error("备注 taken for a figure column")
	}
}

func TestIsTotal(t *testing.T) {
	for _, name := range []string{"合计", "合 计", "总计", "全省合计", "全市", "亳州市小计"} {
		if !isTotal(name) {
			t.Errorf("%s not taken for a totals row", name)
		}
	}
	for _, name := range []string{"全椒县", "合肥市", "全州县"} {
		if isTotal(name) {
			t.Errorf("%s taken for a totals row", name)
		}
	}
}
