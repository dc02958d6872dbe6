package main

import (
	"strings"

	"followrank/catalog"
)

// language is the language of the command line's words: --lang when given,
// else setting (FOLLOWRANK_LANG, or lang: in the config), else the POSIX
// locale, the first of LC_ALL, LC_MESSAGES and LANG that is set, else
// Chinese. A locale of zh… is Chinese; C or POSIX keeps Chinese, the
// language of the office staff who run the program; any other is English.
// Only a bad --lang or setting is an error.
//
// What the program stores or serves to others (rejections recorded with a
// run, the web pages' and the API's answers) is in the language chosen
// without the locale (getenv noLocale), so that a server's locale does not
// change what the offices read.
func language(flag, setting string, getenv func(string) string) (catalog.Lang, error) {
	if flag != "" {
		return catalog.ParseLang(flag)
	}
	if setting != "" {
		return catalog.ParseLang(setting)
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return localeLang(v), nil
		}
	}
	return catalog.Chinese, nil
}

// noLocale is an environment without a locale, for language.
func noLocale(string) string { return "" }

// localeLang is the language of a POSIX locale such as zh_CN.UTF-8,
// en_US.UTF-8, C.UTF-8 or POSIX.
func localeLang(locale string) catalog.Lang {
	l := strings.ToLower(locale)
	switch {
	case strings.HasPrefix(l, "zh"):
		return catalog.Chinese
	case l == "c" || l == "posix" || strings.HasPrefix(l, "c.") || strings.HasPrefix(l, "c@"):
		return catalog.Chinese
	}
	return catalog.English
}
