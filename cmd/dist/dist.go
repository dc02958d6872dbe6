package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Where a packaged install keeps its files. The binary's systemConfig is
// stamped with configPath, so that `followrank migrate` at a terminal reads
// what the service reads.
const (
	binPath    = "/usr/bin/followrank"
	configPath = "/etc/followrank/followrank.yaml"
	unitPath   = "/lib/systemd/system/followrank.service" // Debian 12, Kylin and UOS keep units in /lib
	docDir     = "/usr/share/doc/followrank"
)

// maintainer answers for the packages: the address the project's commits
// are made under.
const maintainer = "followrank maintainers <maintainers@users.noreply.r-seed-2822fce4.example>"

// release is one run of dist: the sources, what is built and where.
type release struct {
	root       string // the repository
	out        string // where the release goes: dist/
	work       string // scratch files, removed at the end
	stamp      stamp
	arches     []string // GOARCH values, which are also Debian's names for these three
	clickhouse string   // a folder of Debian's ClickHouse packages for the bundle, or ""
	goCmd      string
	log        io.Writer
	files      docs // the files the packages share, once build has written them
}

// stamp is which followrank a release is.
type stamp struct {
	Version string    // as Debian numbers it: 1.2.0, 1.2.0+git3.2f512a1, 0.0~git20261129.2f512a1
	Commit  string    // the full commit id
	Date    time.Time // when it was built; also every file's time in the packages
}

// supported are the architectures a release may hold: the bureaus' servers
// (x86-64; Kunpeng and Phytium; Loongson).
var supported = []string{"amd64", "arm64", "loong64"}

func run(ctx context.Context, args []string, log io.Writer) error {
	r, err := newRelease(ctx, args, log)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	defer r.close()
	return r.build(ctx)
}

// newRelease reads the command line and the checkout; close removes its
// scratch folder.
func newRelease(ctx context.Context, args []string, log io.Writer) (*release, error) {
	fs := flag.NewFlagSet("dist", flag.ContinueOnError)
	fs.SetOutput(log)
	out := fs.String("o", "dist", "`folder` to write the release into; its earlier release files are replaced")
	version := fs.String("version", "", "the release's `version` (default: from git describe --tags, else 0.0~gitDATE.COMMIT)")
	arches := fs.String("arch", strings.Join(supported, ","), "architectures to build, comma-separated")
	clickhouse := fs.String("clickhouse", "", "`folder` of Debian's ClickHouse packages to put into the offline bundle (scripts/clickhouse-debs.sh fills one); none when empty")
	goCmd := fs.String("go", "go", "the go command")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	r := &release{root: root, out: *out, clickhouse: *clickhouse, goCmd: *goCmd, log: log}
	for _, a := range strings.Split(*arches, ",") {
		if !slices.Contains(supported, a) {
			return nil, fmt.Errorf("-arch: %q is not one of %s", a, strings.Join(supported, ", "))
		}
		r.arches = append(r.arches, a)
	}
	if r.stamp, err = readStamp(ctx, root, *version, os.Getenv("SOURCE_DATE_EPOCH")); err != nil {
		return nil, err
	}
	if r.work, err = os.MkdirTemp("", "followrank-dist-"); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *release) close() { os.RemoveAll(r.work) }

// timed runs a step of the build and says how long it took.
func (r *release) timed(what string, step func() error) error {
	start := time.Now()
	if err := step(); err != nil {
		return err
	}
	fmt.Fprintf(r.log, "dist: %s (%.1fs)\n", what, time.Since(start).Seconds())
	return nil
}

// repoRoot is the folder holding go.mod, from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run dist inside the followrank repository (no go.mod found)")
		}
		dir = parent
	}
}

// build writes the whole release.
func (r *release) build(ctx context.Context) error {
	start := time.Now()
	fmt.Fprintf(r.log, "dist: followrank %s (commit %s, built %s) for %s\n", r.stamp.Version, r.stamp.Commit, r.stamp.Date.Format(time.RFC3339), strings.Join(r.arches, ", "))
	if err := r.clean(); err != nil {
		return err
	}
	// The three builds at once: each spends part of its time in steps that
	// use one core (linking), so together they take less than one after
	// another, a fifth less from a cold cache on two cores.
	bins := make([]string, len(r.arches))
	errs := make([]error, len(r.arches))
	var wg sync.WaitGroup
	for i, arch := range r.arches {
		bins[i] = filepath.Join(r.out, r.binaryName(arch))
		wg.Go(func() {
			errs[i] = r.timed("built "+filepath.Base(bins[i]), func() error { return r.compile(ctx, arch, bins[i]) })
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	var d docs
	if err := r.timed("wrote the config, the manual pages and the changelog", func() (err error) { d, err = r.docs(ctx); return err }); err != nil {
		return err
	}
	r.files = d
	var parts []string // what the bundle carries, besides its own files
	for i, arch := range r.arches {
		copyright := r.copyrightPath(arch)
		if err := r.copyright(ctx, bins[i], copyright); err != nil {
			return err
		}
		var deb, tgz string
		if err := r.timed("packed the "+arch+" .deb", func() (err error) { deb, err = r.deb(arch, bins[i], copyright, d); return err }); err != nil {
			return fmt.Errorf("%s .deb: %w", arch, err)
		}
		if err := r.timed("packed the "+arch+" .tar.gz", func() (err error) { tgz, err = r.tarball(arch, bins[i], copyright, d); return err }); err != nil {
			return fmt.Errorf("%s .tar.gz: %w", arch, err)
		}
		parts = append(parts, deb, tgz)
	}
	var bundle string
	if err := r.timed("packed the offline bundle", func() (err error) { bundle, err = r.bundle(parts, d); return err }); err != nil {
		return fmt.Errorf("offline bundle: %w", err)
	}
	sums := append(slices.Clone(bins), parts...)
	sums = append(sums, bundle)
	if err := writeSums(filepath.Join(r.out, "SHA256SUMS"), r.out, sums); err != nil {
		return err
	}
	fmt.Fprintf(r.log, "dist: wrote %s in %.0fs:\n", r.out, time.Since(start).Seconds())
	for _, f := range append(sums, filepath.Join(r.out, "SHA256SUMS")) {
		if st, err := os.Stat(f); err == nil {
			fmt.Fprintf(r.log, "  %-48s %6.1f MB\n", filepath.Base(f), float64(st.Size())/1e6)
		}
	}
	return nil
}

// clean removes the release files an earlier run left in r.out, and
// nothing else.
func (r *release) clean() error {
	if err := os.MkdirAll(r.out, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(r.out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "followrank") || e.Name() == "SHA256SUMS" {
			if err := os.RemoveAll(filepath.Join(r.out, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyrightPath is where the copyright file of arch's packages is written.
func (r *release) copyrightPath(arch string) string {
	return filepath.Join(r.work, "copyright-"+arch)
}

func (r *release) binaryName(arch string) string {
	return "followrank-" + r.stamp.Version + "-linux-" + arch
}

// compile builds the static binary for arch, stamped.
func (r *release) compile(ctx context.Context, arch, bin string) error {
	ldflags := strings.Join([]string{"-s", "-w",
		"-X", "main.version=" + r.stamp.Version,
		"-X", "main.commit=" + r.stamp.Commit,
		"-X", "main.buildDate=" + r.stamp.Date.Format(time.RFC3339),
		"-X", "main.systemConfig=" + configPath,
	}, " ")
	abs, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, r.goCmd, "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", abs, "./cmd/followrank")
	cmd.Dir = r.root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build for linux/%s: %w\n%s", arch, err, out)
	}
	return nil
}

// readStamp says which followrank the checkout at root is. version, when
// given, is the release's number; else git describe's, or between tags a
// snapshot's. The date is SOURCE_DATE_EPOCH's when set, else the commit's
// when nothing is changed, so that building a commit again gives the same
// files; else now.
func readStamp(ctx context.Context, root, version, epoch string) (stamp, error) {
	git := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				err = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(ee.Stderr)))
			}
			return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out)), nil
	}
	commit, err := git("rev-parse", "HEAD")
	if err != nil {
		return stamp{}, fmt.Errorf("%w (dist numbers a release from git)", err)
	}
	ct, err := git("log", "-1", "--format=%ct")
	if err != nil {
		return stamp{}, err
	}
	secs, _ := strconv.ParseInt(ct, 10, 64)
	committed := time.Unix(secs, 0).UTC()
	status, err := git("status", "--porcelain")
	if err != nil {
		return stamp{}, err
	}
	dirty := status != ""
	s := stamp{Commit: commit, Date: committed}
	switch {
	case epoch != "":
		n, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return stamp{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", epoch)
		}
		s.Date = time.Unix(n, 0).UTC()
	case dirty:
		s.Date = time.Now().UTC().Truncate(time.Second)
	}
	if version != "" {
		s.Version = strings.TrimPrefix(version, "v")
	} else {
		described, _ := git("describe", "--tags", "--match", "v[0-9]*")
		s.Version = debianVersion(described, committed, commit, dirty)
	}
	if !validVersion.MatchString(s.Version) {
		return stamp{}, fmt.Errorf("version %q: a release is numbered with digits, letters and . + ~ (as 1.2.0), starting with a digit", s.Version)
	}
	return s, nil
}

// validVersion is a native Debian package's version: no epoch, no
// revision.
var validVersion = regexp.MustCompile(`^[0-9][A-Za-z0-9.+~]*$`)

var describedRe = regexp.MustCompile(`^v?(.+)-([0-9]+)-g([0-9a-f]+)$`)

// debianVersion numbers a build as Debian orders versions: a tag v1.2.0
// is 1.2.0; three commits after it, 1.2.0+git3.2f512a1 (after 1.2.0,
// before 1.2.1); before any tag, 0.0~git20261129.2f512a1 (before every
// release). Uncommitted changes add +dirty (or .dirty).
func debianVersion(described string, committed time.Time, commit string, dirty bool) string {
	var v string
	switch m := describedRe.FindStringSubmatch(described); {
	case m != nil:
		v = strings.ReplaceAll(m[1], "-", "~") + "+git" + m[2] + "." + m[3]
	case described != "":
		v = strings.ReplaceAll(strings.TrimPrefix(described, "v"), "-", "~") // v1.2.0-rc1 is 1.2.0~rc1, before 1.2.0
	default:
		v = "0.0~git" + committed.Format("20060102") + "." + commit[:min(7, len(commit))]
	}
	if dirty {
		if strings.Contains(v, "+") {
			return v + ".dirty"
		}
		return v + "+dirty"
	}
	return v
}
