// Package catalog is the one message catalogue of what office staff and
// managers read: why a row was rejected, why a file was refused, what a
// field is called, and the command line's help and mistakes. Every message
// has a code (machine-readable, for the submission API) and its words in
// Chinese, the default, and English (FOLLOWRANK_LANG=en or --lang en; the
// command line also follows the locale). It is built on
// golang.org/x/text/message.
package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"followrank/model"
)

// Lang is the language messages are written in.
type Lang string

// The languages messages are written in.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// ParseLang reads a language setting: zh (or zh-CN, 中文, empty) or en.
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "zh", "zh-cn", "zh_cn", "cn", "chinese", "中文":
		return Chinese, nil
	case "en", "en-us", "en_us", "english":
		return English, nil
	}
	return "", fmt.Errorf("%q is not a language followrank speaks: zh (中文) or en", s)
}

// Code names a message, the same in every language.
type Code string

// entry is one message: its code, its English and its Chinese. The
// arguments are numbered (%[1]s) so that each language may order them.
type entry struct {
	code   Code
	en, zh string
}

var builder = func() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.Chinese))
	for _, e := range entries {
		if err := b.SetString(language.English, string(e.code), e.en); err != nil {
			panic(err)
		}
		if err := b.SetString(language.Chinese, string(e.code), e.zh); err != nil {
			panic(err)
		}
	}
	return b
}()

// Printer writes messages in one language.
type Printer struct {
	lang Lang
	p    *message.Printer
}

// New returns a printer for lang; an unknown language gets Chinese.
func New(lang Lang) *Printer {
	tag := language.Chinese
	if lang == English {
		tag = language.English
	} else {
		lang = Chinese
	}
	return &Printer{lang: lang, p: message.NewPrinter(tag, message.Catalog(builder))}
}

// Lang is the printer's language.
func (p *Printer) Lang() Lang { return p.lang }

// Say writes the message of code with its arguments. Whole numbers are
// written plainly (9999, line 1234), not grouped as the locale would.
func (p *Printer) Say(code Code, args ...any) string {
	for i, a := range args {
		switch v := a.(type) {
		case int:
			args[i] = plain(int64(v))
		case int32:
			args[i] = plain(int64(v))
		case int64:
			args[i] = plain(v)
		case uint64:
			args[i] = plainU(v)
		case uint32:
			args[i] = plainU(uint64(v))
		}
	}
	return p.p.Sprintf(string(code), args...)
}

// List joins items as a list is written: 蒙城县、涡阳县, or in English
// 蒙城县, 涡阳县.
func (p *Printer) List(items ...string) string {
	if p.lang == English {
		return strings.Join(items, ", ")
	}
	return strings.Join(items, "、")
}

// Or offers a choice: table、csv 或 json, or in English table, csv or json.
func (p *Printer) Or(items ...string) string {
	if len(items) < 2 {
		return p.List(items...)
	}
	last := items[len(items)-1]
	if p.lang == English {
		return p.List(items[:len(items)-1]...) + " or " + last
	}
	return p.List(items[:len(items)-1]...) + " 或 " + last
}

// plain and plainU are whole numbers that format without grouping.
type (
	plain  int64
	plainU uint64
)

func (n plain) Format(f fmt.State, _ rune)  { fmt.Fprint(f, strconv.FormatInt(int64(n), 10)) }
func (n plainU) Format(f fmt.State, _ rune) { fmt.Fprint(f, strconv.FormatUint(uint64(n), 10)) }

// Field is the name of a sheet's field as its readers call it: in Chinese
// the column heading (离退休干部数), in English the field (members).
func (p *Printer) Field(field string) string {
	if p.lang == English {
		return field
	}
	if zh, ok := fieldNames[field]; ok {
		return zh
	}
	return field
}

// Rejection writes where a rejection is and why: 第5行 单位：未知单位…, or
// june.csv:5: unit: unknown unit … in English.
func (p *Printer) Rejection(r model.Rejection) string {
	if p.lang == English {
		return r.String()
	}
	var b strings.Builder
	b.WriteString(r.File)
	if r.Line > 0 {
		fmt.Fprintf(&b, " 第%d行", r.Line)
	}
	if r.Field != "" {
		b.WriteString(" " + p.Field(r.Field))
	}
	b.WriteString("：" + r.Reason)
	return b.String()
}

// fieldNames are the Chinese names of the fields rejections name.
var fieldNames = map[string]string{
	"unit": "单位", "code": "单位代码", "members": "离退休干部数", "followers": "关注人数",
	"rate": "关注率", "date": "日期", "reads": "阅读", "shares": "分享", "likes": "点赞",
	"wow": "在看", "comments": "留言", "file": "文件", "sheet": "工作表", "total": "合计",
	"parent": "上级代码", "name": "单位名称", "aliases": "别名",
}
