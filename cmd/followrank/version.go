package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"followrank/catalog"
	"followrank/config"
)

// What the release build (cmd/dist, `make dist`) stamps in with
// -ldflags -X; all empty in a plain `go build`.
var (
	// version is the release, as its packages are numbered: 1.2.0, or
	// 0.0~git20261129.2f512a1 between releases.
	version string
	// commit is the commit built.
	commit string
	// buildDate is when, in RFC 3339.
	buildDate string
	// systemConfig is the config a packaged install reads when neither
	// --config nor ./followrank.yaml says otherwise:
	// /etc/followrank/followrank.yaml. Only packaged builds look there, so
	// that a developer's tests never read a machine's installed config.
	systemConfig string
)

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", catalog.VersionArgs, catalog.VersionDesc)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	info, _ := debug.ReadBuildInfo()
	_, err := fmt.Fprintln(e.stdout, versionLine(version, commit, buildDate, info))
	return err
}

// versionLine says which followrank this is: the stamped version, commit
// and build date, or for an unstamped build "(devel)" and what Go recorded
// of the commit (nothing, when built with -buildvcs=false or outside git).
func versionLine(version, commit, date string, info *debug.BuildInfo) string {
	var vcs map[string]string
	if info != nil {
		vcs = map[string]string{}
		for _, s := range info.Settings {
			vcs[s.Key] = s.Value
		}
	}
	if version == "" {
		version = "(devel)"
		// go install …@v1.2.0, or Go's own version from the VCS tag
		if info != nil && info.Main.Version != "" && info.Main.Version != "(devel)" {
			version = info.Main.Version
		}
	}
	var about []string
	switch {
	case commit != "":
		about = append(about, "commit "+commit)
	case vcs["vcs.revision"] != "":
		c := "commit " + vcs["vcs.revision"]
		if vcs["vcs.modified"] == "true" {
			c += " with uncommitted changes"
		}
		about = append(about, c)
		if t := vcs["vcs.time"]; t != "" {
			about = append(about, "committed "+t)
		}
	default:
		about = append(about, "no commit recorded")
	}
	if date != "" {
		about = append(about, "built "+date)
	}
	about = append(about, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH)
	return "followrank " + version + " (" + strings.Join(about, ", ") + ")"
}

// configFile is the config to read when --config is not given:
// ./followrank.yaml, else, in a packaged install, systemConfig when it is
// there.
func configFile() string {
	if systemConfig == "" {
		return config.DefaultPath
	}
	// A ./followrank.yaml that is there comes first; one that cannot be
	// looked for (the working directory is another user's) is not there.
	if _, err := os.Stat(config.DefaultPath); err == nil {
		return config.DefaultPath
	}
	if _, err := os.Stat(systemConfig); err != nil {
		return config.DefaultPath
	}
	return systemConfig
}

// withoutConfig says the command line asks for what needs no config:
// `followrank version`, or a command's --help, so that a config still to
// be filled in (a packaged install's, whose scope is the bureau's to set)
// does not hide them.
func withoutConfig(name string, args []string) bool {
	if name == "version" {
		return true
	}
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}
