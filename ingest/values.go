package ingest

import (
	"followrank/sheet"
	"regexp"
	"strings"
)

// field is a column a figure sheet may have.
type field int

const (
	fName field = iota
	fCode
	fMembers
	fFollowers
	fRate
	fDate
	fReads
	fShares
	fLikes
	fWow
	fComments
	fIgnored // 排名, 序号: present in sheets, not read
	nFields
)

// fieldNames are the names rejections use for fields.
var fieldNames = [nFields]string{"unit", "code", "members", "followers", "rate", "date", "reads", "shares", "likes", "wow", "comments", "ignored"}

func (f field) String() string { return fieldNames[f] }

// headerAliases maps normalised headings to fields: the headings offices
// write, in Chinese and English.
var headerAliases = aliases()

func aliases() map[string]field {
	m := map[string]field{}
	for f, names := range map[field][]string{
		fName:      {"单位", "单位名称", "地区", "地市", "市", "县", "区", "县(市、区)", "县(市,区)", "县市区", "县(市区)", "县区", "市(县、区)", "市县区", "name", "unit"},
		fCode:      {"单位代码", "区划代码", "行政区划代码", "代码", "code"},
		fMembers:   {"离退休干部数", "离退休干部人数", "离退休人数", "应关注人数", "总人数", "members"},
		fFollowers: {"关注人数", "已关注人数", "关注数", "已关注", "已关注数", "followers"},
		fRate:      {"关注率", "rate"},
		fDate:      {"日期", "统计日期", "截至日期", "截止日期", "date"},
		fReads:     {"阅读", "阅读量", "阅读数", "reads"},
		fShares:    {"分享", "转发", "分享数", "转发数", "分享转发", "shares"},
		fLikes:     {"点赞", "点赞数", "likes"},
		fWow:       {"在看", "在看数", "wow"},
		fComments:  {"留言", "评论", "留言数", "评论数", "comments"},
		fIgnored:   {"排名", "序号", "名次", "rank"},
	} {
		for _, n := range names {
			m[sheet.Fold(n)] = f
		}
	}
	return m
}

var parenSuffix = regexp.MustCompile(`\([^()]*\)$`)

// headingField resolves a heading: exactly, or without a trailing unit in
// parentheses (离退休干部数(人), 关注率(%)).
func headingField(cell string) (field, bool) {
	h := sheet.Fold(cell)
	if f, ok := headerAliases[h]; ok {
		return f, true
	}
	if base := parenSuffix.ReplaceAllString(h, ""); base != h {
		f, ok := headerAliases[base]
		return f, ok
	}
	return 0, false
}

// totalNames mark rows that sum other rows; they are skipped, not stored.
var totalNames = []string{"合计", "总计", "小计", "全省", "全市", "全县", "全区", "总数", "汇总"}

func isTotal(name string) bool {
	if !strings.ContainsAny(name, "合总小全汇") {
		return false
	}
	n := sheet.Fold(name)
	for _, t := range totalNames {
		if strings.Contains(n, t) {
			return true
		}
	}
	return false
}
