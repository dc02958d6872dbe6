package main

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLineSaysWhatWasStampedOrWhatGoRecorded(t *testing.T) {
	platform := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	vcs := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "2f512a1c0bba"}, {Key: "vcs.time", Value: "2026-11-29T19:23:20Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	tests := []struct {
		name                  string
		version, commit, date string
		info                  *debug.BuildInfo
		want                  string
	}{
		{"stamped by make dist", "1.2.0", "2f512a1c0bba", "2026-11-29T19:23:20Z", vcs,
			"followrank 1.2.0 (commit 2f512a1c0bba, built 2026-11-29T19:23:20Z, " + platform + ")"},
		{"go build in a git checkout", "", "", "", vcs,
			"followrank (devel) (commit 2f512a1c0bba with uncommitted changes, committed 2026-11-29T19:23:20Z, " + platform + ")"},
		{"go build -buildvcs=false", "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			"followrank (devel) (no commit recorded, " + platform + ")"},
		{"go install …@v1.2.0", "", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}},
			"followrank v1.2.0 (no commit recorded, " + platform + ")"},
		{"no build info", "", "", "", nil, "followrank (devel) (no commit recorded, " + platform + ")"},
	}
	for _, tt := range tests {
		if got := versionLine(tt.version, tt.commit, tt.date, tt.info); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// TestVersionAndHelpNeedNoConfig: a config still to be filled in stops
// the commands that use it, with exit status 2, but not `version` nor a
// command's --help.
func TestVersionAndHelpNeedNoConfig(t *testing.T) {
	t.Chdir(t.TempDir())
	bad := filepath.Join(t.TempDir(), "followrank.yaml")
	if err := os.WriteFile(bad, []byte("scope: \"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := followrank(t, "--config", bad, "version")
	if err != nil || !strings.HasPrefix(out, "followrank ") || !strings.Contains(out, runtime.GOARCH) {
		t.Errorf("version with a bad config: %q, %v", out, err)
	}
	if _, help, err := followrankLogs(t, "--config", bad, "migrate", "--help"); err != nil || !strings.Contains(help, "followrank migrate") {
		t.Errorf("migrate --help with a bad config: %v\n%s", err, help)
	}
	_, err = followrank(t, "--config", bad, "migrate")
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), "scope") {
		t.Errorf("migrate with a bad config: %v; want exit status 2 naming scope", err)
	}
}

// TestHelpAndConfigOfAPackagedInstall: a packaged build reads
// /etc/followrank/followrank.yaml (systemConfig) when there is no
// ./followrank.yaml and no --config, and its help says so; a
// ./followrank.yaml still comes first.
func TestHelpAndConfigOfAPackagedInstall(t *testing.T) {
	dir := t.TempDir()
	sys := filepath.Join(dir, "etc-followrank.yaml")
	if err := os.WriteFile(sys, []byte("lang: en\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(old string) { systemConfig = old }(systemConfig)
	systemConfig = sys
	t.Chdir(t.TempDir())
	// lang: en in the system config: the help is in English.
	out, err := followrank(t, "help")
	if err != nil || !strings.Contains(out, "usage: followrank") || !strings.Contains(out, "Installed from a package, it reads "+sys) {
		t.Errorf("help with the system config (lang: en):\n%s (%v)", out, err)
	}
	if err := os.WriteFile("followrank.yaml", []byte("lang: zh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = followrank(t, "help")
	if err != nil || !strings.Contains(out, "用法：followrank") || !strings.Contains(out, "本程序由安装包安装") {
		t.Errorf("help with ./followrank.yaml (lang: zh) beside the system config:\n%s (%v)", out, err)
	}
	systemConfig = ""
	if out, _ := followrank(t, "help"); strings.Contains(out, "本程序由安装包安装") {
		t.Errorf("an unpackaged build's help speaks of a system config:\n%s", out)
	}
}
