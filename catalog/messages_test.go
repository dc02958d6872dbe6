package catalog

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var (
	numbered = regexp.MustCompile(`%\[(\d+)\]([a-zA-Z])`)
	verb     = regexp.MustCompile(`%(%|\[\d+\][a-zA-Z])?`)
)

// TestEveryEntryHasBothLanguages: every code has its words in English and
// in Chinese, once; both use the same numbered arguments, with no verb
// unnumbered; and both print without a formatting mistake.
func TestEveryEntryHasBothLanguages(t *testing.T) {
	// The same in both languages on purpose: no words, or only a command's.
	same := map[Code]bool{FileUnreadable: true, MigrateArgs: true, ServeArgs: true, PasswdArgs: true, VersionArgs: true}
	seen := map[Code]bool{}
	zh, en := New(Chinese), New(English)
	for _, e := range entries {
		if seen[e.code] {
			t.Errorf("%s: twice in the catalogue", e.code)
		}
		seen[e.code] = true
		if (e.en == "") != (e.zh == "") {
			t.Errorf("%s: English %q, Chinese %q: one is missing", e.code, e.en, e.zh)
		}
		if e.en == e.zh && !same[e.code] {
			t.Errorf("%s: the Chinese is the English: %q", e.code, e.zh)
		}
		if e.zh != e.en && strings.IndexFunc(e.zh, chinese) < 0 {
			t.Errorf("%s: the Chinese %q has no Chinese, not even its punctuation", e.code, e.zh)
		}
		for _, m := range verb.FindAllStringSubmatch(e.en+e.zh, -1) {
			if m[1] == "" {
				t.Errorf("%s: an unnumbered verb or a lone %%: use %%[1]s or %%%%", e.code)
			}
		}
		args := map[int]rune{}
		for _, m := range numbered.FindAllStringSubmatch(e.en, -1) {
			n, _ := strconv.Atoi(m[1])
			args[n] = rune(m[2][0])
		}
		used := map[int]bool{}
		for _, m := range numbered.FindAllStringSubmatch(e.zh, -1) {
			n, _ := strconv.Atoi(m[1])
			used[n] = true
			if _, ok := args[n]; !ok {
				t.Errorf("%s: the Chinese uses %%[%d] and the English does not", e.code, n)
			}
		}
		for n := range args {
			if !used[n] {
				t.Errorf("%s: the English uses %%[%d] and the Chinese does not", e.code, n)
			}
		}
		values := make([]any, len(args))
		for i := range values {
			values[i] = "x"
			if args[i+1] == 'd' {
				values[i] = 7
			}
		}
		for lang, p := range map[string]*Printer{"zh": zh, "en": en} {
			if got := p.Say(e.code, append([]any(nil), values...)...); strings.Contains(got, "%!") {
				t.Errorf("%s %s: %q", e.code, lang, got)
			}
		}
	}
}

// chinese says r is a Chinese character or Chinese punctuation (，：（）“”).
func chinese(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) || r == '“' || r == '”'
}
