package main

import (
	"testing"

	"followrank/catalog"
)

func TestLanguageFromFlagSettingAndLocale(t *testing.T) {
	tests := []struct {
		name          string
		flag, setting string
		env           map[string]string
		want          catalog.Lang
		bad           bool
	}{
		{"nothing set: Chinese", "", "", nil, catalog.Chinese, false},
		{"LANG zh_CN", "", "", map[string]string{"LANG": "zh_CN.UTF-8"}, catalog.Chinese, false},
		{"LANG zh_TW", "", "", map[string]string{"LANG": "zh_TW.Big5"}, catalog.Chinese, false},
		{"LANG en_US", "", "", map[string]string{"LANG": "en_US.UTF-8"}, catalog.English, false},
		{"LANG fr_FR: not Chinese, so English", "", "", map[string]string{"LANG": "fr_FR.UTF-8"}, catalog.English, false},
		{"LANG C keeps Chinese", "", "", map[string]string{"LANG": "C"}, catalog.Chinese, false},
		{"LANG C.UTF-8 keeps Chinese", "", "", map[string]string{"LANG": "C.UTF-8"}, catalog.Chinese, false},
		{"LANG POSIX keeps Chinese", "", "", map[string]string{"LANG": "POSIX"}, catalog.Chinese, false},
		{"LC_MESSAGES before LANG", "", "", map[string]string{"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, catalog.English, false},
		{"LC_ALL before LC_MESSAGES", "", "", map[string]string{"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US.UTF-8"}, catalog.Chinese, false},
		{"LC_ALL=C rules over LANG", "", "", map[string]string{"LC_ALL": "C", "LANG": "en_US.UTF-8"}, catalog.Chinese, false},
		{"empty LC_ALL is not set", "", "", map[string]string{"LC_ALL": "", "LANG": "en_US.UTF-8"}, catalog.English, false},
		{"FOLLOWRANK_LANG before the locale", "", "en", map[string]string{"LANG": "zh_CN.UTF-8"}, catalog.English, false},
		{"FOLLOWRANK_LANG zh before the locale", "", "zh", map[string]string{"LANG": "en_US.UTF-8"}, catalog.Chinese, false},
		{"--lang before FOLLOWRANK_LANG", "zh", "en", map[string]string{"LANG": "en_US.UTF-8"}, catalog.Chinese, false},
		{"--lang en", "en", "", map[string]string{"LANG": "zh_CN.UTF-8"}, catalog.English, false},
		{"bad --lang", "fr", "", nil, "", true},
		{"bad FOLLOWRANK_LANG", "", "klingon", map[string]string{"LANG": "en_US.UTF-8"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := language(tt.flag, tt.setting, func(k string) string { return tt.env[k] })
			if (err != nil) != tt.bad || got != tt.want {
				t.Errorf("language(%q, %q, %v) = %q, %v; want %q (error: %v)", tt.flag, tt.setting, tt.env, got, err, tt.want, tt.bad)
			}
		})
	}
}

// TestLanguageOfRecordsIgnoresLocale: what is stored and served speaks
// the configured language, whatever the locale of the server.
func TestLanguageOfRecordsIgnoresLocale(t *testing.T) {
	if got, _ := language("", "", noLocale); got != catalog.Chinese {
		t.Errorf("records without a setting: %q, want Chinese", got)
	}
	if got, _ := language("", "en", noLocale); got != catalog.English {
		t.Errorf("records with lang: en: %q, want English", got)
	}
}
