package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDebianVersionOrdersSnapshotsAroundReleases(t *testing.T) {
	day := time.Date(2026, 11, 29, 19, 23, 20, 0, time.UTC)
	const commit = "2f512a1c0bba"
	tests := []struct {
		described string
		dirty     bool
		want      string
	}{
		{"", false, "0.0~git20261129.2f512a1"},
		{"", true, "0.0~git20261129.2f512a1+dirty"},
		{"v1.2.0", false, "1.2.0"},
		{"v1.2.0", true, "1.2.0+dirty"},
		{"v1.2.0-3-g2f512a1", false, "1.2.0+git3.2f512a1"},
		{"v1.2.0-3-g2f512a1", true, "1.2.0+git3.2f512a1.dirty"},
		{"v1.3.0-rc1", false, "1.3.0~rc1"},
	}
	for _, tt := range tests {
		got := debianVersion(tt.described, day, commit, tt.dirty)
		if got != tt.want || !validVersion.MatchString(got) {
			t.Errorf("debianVersion(%q, dirty %v) = %q, want %q", tt.described, tt.dirty, got, tt.want)
		}
	}
}

// TestPackagedConfigLeavesTheScopeToTheBureau: the conffile is the example
// with the scope, the office and the submitters left empty, and it loads
// once the scope is set. It runs in `make test`, so that a change to the
// example that the packaging no longer fits is seen at once.
func TestPackagedConfigLeavesTheScopeToTheBureau(t *testing.T) {
	example, err := os.ReadFile(filepath.Join("..", "..", "followrank.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	conf, err := packagedConfig(example)
	if err != nil {
		t.Fatal(err)
	}
	text := string(conf)
	for _, want := range []string{"\nscope: \"\"\n", "\nout_dir: /var/lib/followrank/out\n", "\nbureau: \"\"", "\n  submitters: []", "\n  #   - name: 蒙城县委老干部局\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the packaged config lacks %q:\n%s", want, text)
		}
	}
	path := filepath.Join(t.TempDir(), "followrank.yaml")
	if err := os.WriteFile(path, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := checkPackagedConfig(path); err != nil {
		t.Error(err)
	}
	if _, err := packagedConfig([]byte("scope: \"110000\"\n")); err == nil || !strings.Contains(err.Error(), "cmd/dist") {
		t.Errorf("an example without the lines the packaging edits: %v; want an error that says where to look", err)
	}
}

func TestLicenceNamesAndHolders(t *testing.T) {
	tests := []struct {
		text, name string
		holders    []string
	}{
		{"Copyright (c) 2009 The Go Authors. All rights reserved.\n\nRedistribution and use in source and binary forms, with or without\n...Neither the name of Google Inc. nor ...", "BSD-3-clause", []string{"2009 The Go Authors. All rights reserved."}},
		{"MIT License\n\nCopyright (c) 2017 jaska\n\nPermission is hereby granted, free of charge, to any person ...\nThe above copyright notice and this permission notice shall be included", "Expat", []string{"2017 jaska"}},
		{"                                 Apache License\n                           Version 2.0, January 2004\n... copyright owner ...\n   Copyright [yyyy] [name of copyright owner]", "Apache-2.0", nil},
		{"MIT No Attribution\n\nCopyright 2023 Segment\n\nPermission is hereby granted, free of charge", "MIT-0", []string{"2023 Segment"}},
		{"This project is covered by two different licenses: MIT and Apache.\n... Apache License ...", "Expat and Apache-2.0", nil},
	}
	for _, tt := range tests {
		name, ok := licenceName(tt.text)
		if !ok || name != tt.name {
			t.Errorf("licenceName(%.30q) = %q, %v; want %q", tt.text, name, ok, tt.name)
		}
		if got := copyrightLines(tt.text); strings.Join(got, "|") != strings.Join(tt.holders, "|") {
			t.Errorf("copyrightLines(%.30q) = %q, want %q", tt.text, got, tt.holders)
		}
	}
	if _, ok := licenceName("All rights reserved. Do not copy."); ok {
		t.Error("an unknown licence was named")
	}
}

func TestRoffEscapesWhatGroffWouldRead(t *testing.T) {
	for in, want := range map[string]string{
		"  -o FILE": `  \-o FILE`,
		".hidden":   `\&.hidden`,
		"'quoted":   `\&'quoted`,
		`C:\path`:   `C:\epath`,
		"关注率 = 关注人数 ÷ 离退休干部数": "关注率 = 关注人数 ÷ 离退休干部数",
	} {
		if got := roff(in); got != want {
			t.Errorf("roff(%q) = %q, want %q", in, got, want)
		}
	}
}
