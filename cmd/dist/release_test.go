package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"followrank/config"
	"followrank/store/storetest"
)

// TestRelease builds the release as `make dist` does and meets it as a
// bureau's IT would: every file named in SHA256SUMS; static, stamped
// binaries; each .deb's control fields, files and scripts (dpkg-deb), and
// lintian's verdict; the .tar.gz and the offline bundle; the amd64 .deb
// installed with dpkg into a copy of this machine, run, upgraded and
// removed; the .tar.gz's install.sh likewise; the arm64 and loong64
// binaries running `version` and `demo` under qemu-user against the test
// ClickHouse, writing what the amd64 one writes; and the offline bundle
// installed on a fresh Debian 12 with no network, its demo run there.
func TestRelease(t *testing.T) {
	if os.Getenv("FOLLOWRANK_TEST_DIST") != "1" {
		t.Skip("skipping: this test builds every package, installs one and runs the others under qemu; `make test-dist` runs it (FOLLOWRANK_TEST_DIST=1)")
	}
	for _, tool := range []string{"dpkg", "dpkg-deb", "lintian", "unshare", "chroot", "setpriv", "systemd-analyze", "qemu-aarch64-static", "qemu-loongarch64-static"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (`make test-dist` installs lintian, systemd and qemu-user-static): %v", tool, err)
		}
	}
	if _, err := exec.LookPath("sudo"); err != nil && os.Geteuid() != 0 {
		t.Fatal("the release test installs a package into a copy of this machine, which takes root: run it as root or with sudo at hand")
	}
	clickhouse := os.Getenv("FOLLOWRANK_DIST_CLICKHOUSE")
	if clickhouse == "" {
		t.Fatal("FOLLOWRANK_DIST_CLICKHOUSE names no folder of ClickHouse packages for the bundle; `make test-dist` fills var/clickhouse-debs with scripts/clickhouse-debs.sh")
	}
	ctx := context.Background()
	// The fresh Debian 12 for the offline bundle is made (the first time)
	// while the release builds: one waits on the network, the other on the
	// processor.
	debian := make(chan error, 1)
	go func() {
		out, err := exec.Command(filepath.Join("..", "..", "scripts", "offline-check.sh"), "--prepare").CombinedOutput()
		if err != nil {
			err = fmt.Errorf("scripts/offline-check.sh --prepare: %w\n%s", err, out)
		}
		debian <- err
	}()
	out := t.TempDir()
	r, err := newRelease(ctx, []string{"-o", out, "-clickhouse", clickhouse}, testLog{t})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.close)
	if err := r.build(ctx); err != nil {
		t.Fatal(err)
	}
	rel := built{r: r}

	t.Run("SHA256SUMS", rel.checkSums)
	t.Run("binaries", rel.checkBinaries)
	t.Run("debs", rel.checkDebs)
	t.Run("lintian", rel.checkLintian)
	t.Run("tarballs", rel.checkTarballs)
	t.Run("bundle", rel.checkBundle)
	t.Run("install amd64 .deb", rel.checkInstall)
	t.Run("install.sh", rel.checkInstallScript)
	t.Run("qemu", rel.checkQemu)
	t.Run("offline bundle on a fresh Debian 12", func(t *testing.T) {
		if err := <-debian; err != nil {
			t.Fatal(err)
		}
		rel.checkOffline(t)
	})
}

// built is the release under test, built.
type built struct{ r *release }

func (rel built) bin(arch string) string { return filepath.Join(rel.r.out, rel.r.binaryName(arch)) }
func (rel built) deb(arch string) string {
	return filepath.Join(rel.r.out, "followrank_"+rel.r.stamp.Version+"_"+arch+".deb")
}
func (rel built) tgz(arch string) string { return rel.bin(arch) + ".tar.gz" }
func (rel built) bundle() string {
	return filepath.Join(rel.r.out, "followrank-offline_"+rel.r.stamp.Version+".tar.gz")
}

// versionLine is what `followrank version` says of the build for arch.
func (rel built) versionLine(arch string) string {
	s := rel.r.stamp
	return fmt.Sprintf("followrank %s (commit %s, built %s, %s linux/%s)\n", s.Version, s.Commit, s.Date.Format(time.RFC3339), runtime.Version(), arch)
}

func (rel built) checkSums(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(rel.r.out, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range supported {
		want = append(want, rel.bin(a), rel.deb(a), rel.tgz(a))
	}
	want = append(want, rel.bundle())
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: %q is not `sha256  name`", line)
		}
		file := filepath.Join(rel.r.out, name)
		if h := hashFile(t, file); h != sum {
			t.Errorf("SHA256SUMS: %s is %s, the file's is %s", name, sum, h)
		}
		got = append(got, file)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("SHA256SUMS lists\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func (rel built) checkBinaries(t *testing.T) {
	machines := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "loong64": elf.EM_LOONGARCH}
	for _, arch := range supported {
		bin := rel.bin(arch)
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		if f.Machine != machines[arch] {
			t.Errorf("%s: ELF machine %v, want %v", arch, f.Machine, machines[arch])
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
				t.Errorf("%s: has %v: not static", arch, p.Type)
			}
		}
		f.Close()
		info, err := buildinfo.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		for k, v := range map[string]string{"CGO_ENABLED": "0", "GOOS": "linux", "GOARCH": arch, "-trimpath": "true"} {
			if settings[k] != v {
				t.Errorf("%s: built with %s=%q, want %q", arch, k, settings[k], v)
			}
		}
	}
	// -trimpath keeps -ldflags out of the build info: what was stamped in
	// is read back from `followrank version`, here and under qemu.
	got, err := exec.Command(rel.bin(runtime.GOARCH), "version").Output()
	if err != nil || string(got) != rel.versionLine(runtime.GOARCH) {
		t.Errorf("followrank version: %q (%v), want %q", got, err, rel.versionLine(runtime.GOARCH))
	}
}

// debFiles are the files each .deb installs, with their modes; its
// folders are besides.
var debFiles = map[string]string{
	"./usr/bin/followrank":                       "-rwxr-xr-x",
	"./etc/followrank/followrank.yaml":           "-rw-r--r--",
	"./lib/systemd/system/followrank.service":    "-rw-r--r--",
	"./usr/share/doc/followrank/copyright":       "-rw-r--r--",
	"./usr/share/doc/followrank/changelog.gz":    "-rw-r--r--",
	"./usr/share/doc/followrank/README.md.gz":    "-rw-r--r--",
	"./usr/share/man/man1/followrank.1.gz":       "-rw-r--r--",
	"./usr/share/man/zh_CN/man1/followrank.1.gz": "-rw-r--r--",
	"./usr/share/lintian/overrides/followrank":   "-rw-r--r--",
}

func (rel built) checkDebs(t *testing.T) {
	root := rel.r.root
	example, err := os.ReadFile(filepath.Join(root, "followrank.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	conffile, err := packagedConfig(example)
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range supported {
		deb := rel.deb(arch)
		t.Run(arch, func(t *testing.T) {
			fields := map[string]string{}
			for _, f := range []string{"Package", "Version", "Architecture", "Maintainer", "Section", "Priority", "Depends", "Recommends", "Suggests", "Installed-Size", "Description"} {
				fields[f] = strings.TrimSpace(output(t, "dpkg-deb", "--field", deb, f))
			}
			for f, want := range map[string]string{
				"Package": "followrank", "Version": rel.r.stamp.Version, "Architecture": arch, "Maintainer": maintainer,
				"Section": "misc", "Priority": "optional", "Depends": "adduser", "Recommends": "clickhouse-server",
			} {
				if fields[f] != want {
					t.Errorf("%s: %q, want %q", f, fields[f], want)
				}
			}
			for _, s := range []string{"chromium", "libreoffice-writer", "fonts-wqy-microhei"} {
				if !regexp.MustCompile(`(^|[ ,|])` + regexp.QuoteMeta(s) + `($|[ ,|])`).MatchString(fields["Suggests"]) {
					t.Errorf("Suggests: %q lacks %s", fields["Suggests"], s)
				}
			}
			if !strings.HasPrefix(fields["Description"], "follow-rate rankings") {
				t.Errorf("Description: %q", fields["Description"])
			}

			// The files, their modes and owners.
			files := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(output(t, "dpkg-deb", "--contents", deb)), "\n") {
				f := strings.Fields(line)
				if len(f) < 6 {
					t.Fatalf("dpkg-deb --contents: %q", line)
				}
				if f[1] != "root/root" {
					t.Errorf("%s is owned by %s", f[5], f[1])
				}
				if !strings.HasPrefix(f[0], "d") {
					files[f[5]] = f[0]
				}
			}
			if !maps.Equal(files, debFiles) {
				t.Errorf("files:\n%v\nwant\n%v", files, debFiles)
			}

			// The control archive: the conffile, the maintainer scripts.
			control := t.TempDir()
			output(t, "dpkg-deb", "--control", deb, control)
			if got := readFile(t, filepath.Join(control, "conffiles")); got != configPath+"\n" {
				t.Errorf("conffiles: %q", got)
			}
			for _, s := range []string{"postinst", "prerm", "postrm"} {
				p := filepath.Join(control, s)
				if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o755 {
					t.Errorf("%s: %v, mode %v", s, err, st.Mode())
				}
				if readFile(t, p) != readFile(t, filepath.Join(root, "deploy", "deb", s)) {
					t.Errorf("%s differs from deploy/deb/%s", s, s)
				}
			}

			// What it installs.
			x := t.TempDir()
			output(t, "dpkg-deb", "--extract", deb, x)
			if hashFile(t, filepath.Join(x, "usr/bin/followrank")) != hashFile(t, rel.bin(arch)) {
				t.Errorf("usr/bin/followrank is not %s", rel.bin(arch))
			}
			conf := readFile(t, filepath.Join(x, "etc/followrank/followrank.yaml"))
			if conf != string(conffile) || !strings.Contains(conf, "\nscope: \"\"\n") || !strings.Contains(conf, "\nout_dir: /var/lib/followrank/out\n") {
				t.Errorf("the conffile is not the example with the scope left to set:\n%s", conf)
			}
			if readFile(t, filepath.Join(x, "lib/systemd/system/followrank.service")) != readFile(t, filepath.Join(root, "deploy/followrank.service")) {
				t.Error("the unit differs from deploy/followrank.service")
			}
			if got := gunzip(t, filepath.Join(x, "usr/share/doc/followrank/changelog.gz")); !strings.HasPrefix(got, "followrank ("+rel.r.stamp.Version+") ") {
				t.Errorf("changelog.gz:\n%s", got)
			}
			for _, m := range []string{"man1", "zh_CN/man1"} {
				if got := gunzip(t, filepath.Join(x, "usr/share/man", m, "followrank.1.gz")); !strings.HasPrefix(got, ".TH FOLLOWRANK 1 ") || !strings.Contains(got, "migrate") {
					t.Errorf("%s/followrank.1.gz:\n%s", m, got)
				}
			}
			// Every module the binary holds has its paragraph.
			copyright := readFile(t, filepath.Join(x, "usr/share/doc/followrank/copyright"))
			info, err := buildinfo.ReadFile(rel.bin(arch))
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"Files: " + info.GoVersion + "/*"}
			for _, m := range info.Deps {
				want = append(want, "Files: "+m.Path+"@"+m.Version+"/*")
			}
			for _, w := range want {
				if !strings.Contains(copyright, "\n"+w+"\n") {
					t.Errorf("copyright lacks %q", w)
				}
			}
			if len(info.Deps) < 20 {
				t.Errorf("the binary names %d modules; the build info is not what it was", len(info.Deps))
			}
		})
	}
}

func (rel built) checkLintian(t *testing.T) {
	// Not --show-overrides: lintian 2.116 then counts an overridden error
	// towards --fail-on. The overrides and their reasons are in
	// deploy/deb/lintian-overrides*.
	args := []string{"--fail-on", "error,warning", "--display-info"}
	for _, a := range supported {
		args = append(args, rel.deb(a))
	}
	out, err := exec.Command("lintian", args...).CombinedOutput()
	t.Logf("lintian %s:\n%s", strings.Join(args, " "), out)
	if err != nil || regexp.MustCompile(`(?m)^[EW]: `).Match(out) {
		t.Errorf("lintian reports errors or warnings: %v", err)
	}
}

func (rel built) checkTarballs(t *testing.T) {
	for _, arch := range supported {
		top := rel.r.binaryName(arch) + "/"
		entries := readTar(t, rel.tgz(arch))
		want := map[string]int64{
			"followrank": 0o755, "install.sh": 0o755, "followrank.yaml": 0o644, "followrank.service": 0o644,
			"followrank.1.gz": 0o644, "followrank.zh_CN.1.gz": 0o644, "README.md": 0o644, "copyright": 0o644,
		}
		got := map[string]int64{}
		for _, e := range entries {
			if e.hdr.Uname != "root" || e.hdr.Uid != 0 {
				t.Errorf("%s: %s is owned by %s", arch, e.hdr.Name, e.hdr.Uname)
			}
			if e.hdr.Typeflag == tar.TypeDir {
				continue
			}
			name, ok := strings.CutPrefix(e.hdr.Name, top)
			if !ok {
				t.Errorf("%s: %s is outside %s", arch, e.hdr.Name, top)
			}
			got[name] = e.hdr.Mode
			if name == "followrank" && e.sum != hashFile(t, rel.bin(arch)) {
				t.Errorf("%s: the tarball's followrank is not %s", arch, rel.bin(arch))
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: %v, want %v", arch, got, want)
		}
	}
}

func (rel built) checkBundle(t *testing.T) {
	top := "followrank-offline_" + rel.r.stamp.Version + "/"
	sums := map[string]string{}
	var list string
	for _, e := range readTar(t, rel.bundle()) {
		if e.hdr.Typeflag == tar.TypeDir {
			continue
		}
		name := strings.TrimPrefix(e.hdr.Name, top)
		sums[name] = e.sum
		if name == "SHA256SUMS" {
			list = string(e.data)
		}
		if name == "demo/followrank.yaml" {
			demo := filepath.Join(t.TempDir(), "followrank.yaml")
			if err := os.WriteFile(demo, e.data, 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(demo, true, nil)
			if err != nil || !strings.HasSuffix(cfg.ClickHouse.DSN, "/followrank_demo") || cfg.OutDir != "out" {
				t.Errorf("demo/followrank.yaml: %+v, %v; want its own database and out/", cfg.ClickHouse, err)
			}
		}
		if name == "INSTALL.txt" {
			for _, a := range supported {
				if !strings.Contains(string(e.data), filepath.Base(rel.deb(a))) {
					t.Errorf("INSTALL.txt does not name %s", filepath.Base(rel.deb(a)))
				}
			}
			if !strings.Contains(string(e.data), "./clickhouse/*.deb") {
				t.Error("INSTALL.txt does not say how to install ClickHouse")
			}
		}
	}
	for _, want := range []string{"README.md", "INSTALL.txt", "SHA256SUMS", "demo/followrank.yaml", "clickhouse/clickhouse-server_", "clickhouse/clickhouse-common_"} {
		if !slices.ContainsFunc(slices.Collect(maps.Keys(sums)), func(n string) bool { return strings.HasPrefix(n, want) }) {
			t.Errorf("the bundle lacks %s", want)
		}
	}
	for _, a := range supported {
		for _, f := range []string{rel.deb(a), rel.tgz(a)} {
			if sums[filepath.Base(f)] != hashFile(t, f) {
				t.Errorf("the bundle's %s is not the release's", filepath.Base(f))
			}
		}
	}
	listed := 0
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		sum, name, _ := strings.Cut(line, "  ")
		if sums[name] != sum {
			t.Errorf("the bundle's SHA256SUMS: %s is %s, the file's is %s", name, sum, sums[name])
		}
		listed++
	}
	if listed != len(sums)-1 {
		t.Errorf("the bundle's SHA256SUMS lists %d files of %d", listed, len(sums)-1)
	}
}

// checkInstall installs the amd64 package with dpkg into a copy of this
// machine, runs it as installed, upgrades it over an edited config, and
// removes and purges it.
func (rel built) checkInstall(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Fatalf("installs the amd64 package: run on amd64, not %s", runtime.GOARCH)
	}
	version := rel.r.stamp.Version
	r := newRoot(t, rel.r.out)
	deb := "/dist/" + filepath.Base(rel.deb("amd64"))
	t.Logf("dpkg -i %s:\n%s", deb, r.run("dpkg", "-i", deb))
	if got := r.run("dpkg-query", "-W", "-f", "${Status} ${Version}", "followrank"); got != "install ok installed "+version {
		t.Errorf("dpkg-query: %q", got)
	}
	checkUser(t, r)
	checkModes(t, r, map[string]string{
		"/usr/bin/followrank":                    "root:root 755",
		configPath:                               "root:followrank 640",
		"/var/lib/followrank":                    "followrank:followrank 750",
		"/var/lib/followrank/inbox":              "followrank:followrank 2770",
		"/var/lib/followrank/out":                "followrank:followrank 750",
		"/lib/systemd/system/followrank.service": "root:root 644",
	})

	if got, err := r.try("", "/", nil, "systemd-analyze", "verify", unitPath); err != nil {
		t.Errorf("systemd-analyze verify %s: %v\n%s", unitPath, err, got)
	}

	// As installed: version and help need no config; the rest stop and
	// ask for the scope, which the bureau sets.
	if got := r.run("followrank", "version"); got != rel.versionLine("amd64") {
		t.Errorf("followrank version: %q, want %q", got, rel.versionLine("amd64"))
	}
	if got := r.run("followrank", "migrate", "--help"); !strings.Contains(got, "followrank migrate") {
		t.Errorf("followrank migrate --help:\n%s", got)
	}
	if got := r.run("followrank", "help"); !strings.Contains(got, "/etc/followrank/followrank.yaml") {
		t.Errorf("followrank help does not name the system config:\n%s", got)
	}
	got, err := r.try("", "/", nil, "followrank", "migrate")
	if exit := exitCode(err); exit != 2 || !strings.Contains(got, configPath) || !strings.Contains(got, "scope") {
		t.Errorf("followrank migrate with the scope unset: exit %d:\n%s", exit, got)
	}

	// The service's user reads the config and migrates; serve answers.
	ch := storetest.Config(t)
	env := []string{"FOLLOWRANK_SCOPE=340000", "FOLLOWRANK_CLICKHOUSE_DSN=" + ch.DSN, "HOME=/var/lib/followrank"}
	if got, err := r.try("followrank", "/var/lib/followrank", env, "followrank", "migrate"); err != nil || !strings.Contains(got, "的数据库结构升级到版本") {
		t.Errorf("followrank migrate as the followrank user: %v\n%s", err, got)
	}
	rel.checkServe(t, r, env)

	// The offline bundle's demo, in its folder: its ./followrank.yaml
	// comes before the system config, whose scope is still unset.
	r.run("tar", "-xzf", "/dist/"+filepath.Base(rel.bundle()), "-C", "/root")
	demoDir := "/root/followrank-offline_" + version + "/demo"
	if got, err := r.try("", demoDir, []string{"FOLLOWRANK_CLICKHOUSE_DSN=" + ch.DSN}, "followrank", "demo"); err != nil {
		t.Errorf("followrank demo in the bundle's demo folder: %v\n%s", err, got)
	}
	for _, f := range []string{"dashboard.html", "ranking.xlsx", "ranking.csv", "通报.docx"} {
		if !r.exists(demoDir + "/out/" + f) {
			t.Errorf("the bundle's demo did not write out/%s", f)
		}
	}

	// Upgrade over an edited config: it is kept, with its owner and mode;
	// the new one lands beside it; the service's data is untouched.
	r.run("sed", "-i", `s/^scope: ""/scope: "341622"/`, configPath)
	r.run("touch", "/var/lib/followrank/inbox/5月通报.xlsx")
	up := rel.upgrade(t)
	t.Logf("dpkg -i --force-confold %s:\n%s", up, r.run("dpkg", "-i", "--force-confold", "/dist/upgrade/"+filepath.Base(up)))
	if got := r.run("dpkg-query", "-W", "-f", "${Version}", "followrank"); got != version+"+1" {
		t.Errorf("after the upgrade: version %q", got)
	}
	if got := r.run("grep", "^scope:", configPath); got != "scope: \"341622\"\n" {
		t.Errorf("the upgrade did not keep the edited config: %q", got)
	}
	if !r.exists(configPath + ".dpkg-dist") {
		t.Error("the upgrade did not leave the new config beside the edited one")
	}
	// The inbox is setgid: a sheet dropped there is the followrank group's.
	checkModes(t, r, map[string]string{configPath: "root:followrank 640", "/var/lib/followrank/inbox/5月通报.xlsx": "root:followrank 644"})

	// Remove: the program goes, the data and the config stay; purge: the
	// config goes too, the data and the user stay.
	t.Logf("dpkg -r followrank:\n%s", r.run("dpkg", "-r", "followrank"))
	if r.exists("/usr/bin/followrank") || r.exists("/lib/systemd/system/followrank.service") {
		t.Error("dpkg -r left the program")
	}
	for _, p := range []string{configPath, "/var/lib/followrank/inbox/5月通报.xlsx", "/var/lib/followrank/out"} {
		if !r.exists(p) {
			t.Errorf("dpkg -r removed %s", p)
		}
	}
	if got := r.run("dpkg-query", "-W", "-f", "${Status}", "followrank"); got != "deinstall ok config-files" {
		t.Errorf("after dpkg -r: %q", got)
	}
	t.Logf("dpkg -P followrank:\n%s", r.run("dpkg", "-P", "followrank"))
	if r.exists(configPath) {
		t.Error("dpkg -P left the config")
	}
	for _, p := range []string{"/var/lib/followrank/inbox/5月通报.xlsx", "/var/lib/followrank/out"} {
		if !r.exists(p) {
			t.Errorf("dpkg -P removed %s", p)
		}
	}
	checkUser(t, r)
}

// checkServe runs the unit's ExecStart as its user, in its folder, until
// /healthz answers.
func (rel built) checkServe(t *testing.T, r *root, env []string) {
	unit := readFile(t, filepath.Join(rel.r.root, "deploy", "followrank.service"))
	start := regexp.MustCompile(`(?m)^ExecStart=(.+)$`).FindStringSubmatch(unit)
	workdir := regexp.MustCompile(`(?m)^WorkingDirectory=(.+)$`).FindStringSubmatch(unit)
	user := regexp.MustCompile(`(?m)^User=(.+)$`).FindStringSubmatch(unit)
	if start == nil || workdir == nil || user == nil {
		t.Fatalf("the unit lacks ExecStart, WorkingDirectory or User:\n%s", unit)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	argv := append(strings.Fields(start[1]), "--addr", addr)
	cmd := r.command(user[1], workdir[1], append(env, "FOLLOWRANK_LOG_FORMAT=json"), argv...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Logf("%s answers /healthz as %s", strings.Join(argv, " "), user[1])
				return
			}
		}
		if time.Now().After(deadline) {
			t.Errorf("%s did not answer /healthz within a minute: %v\n%s", strings.Join(argv, " "), err, logs.String())
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// upgrade builds the amd64 package again as the next version, with the
// example config changed upstream, and returns its path.
func (rel built) upgrade(t *testing.T) string {
	next := *rel.r
	next.stamp.Version += "+1"
	next.out = filepath.Join(rel.r.out, "upgrade")
	if err := os.MkdirAll(next.out, 0o755); err != nil {
		t.Fatal(err)
	}
	d := rel.r.files
	d.conffile = filepath.Join(t.TempDir(), "followrank.yaml")
	conf := readFile(t, rel.r.files.conffile) + "# a line the next release adds\n"
	if err := os.WriteFile(d.conffile, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	deb, err := next.deb("amd64", rel.bin("amd64"), rel.r.copyrightPath("amd64"), d)
	if err != nil {
		t.Fatal(err)
	}
	return deb
}

// checkInstallScript installs the amd64 .tar.gz with its install.sh into
// a copy of this machine, upgrades it over an edited config, and
// uninstalls it.
func (rel built) checkInstallScript(t *testing.T) {
	r := newRoot(t, rel.r.out)
	dir := "/opt/" + rel.r.binaryName("amd64")
	r.run("tar", "-xzf", "/dist/"+filepath.Base(rel.tgz("amd64")), "-C", "/opt")
	got := r.run(dir + "/install.sh")
	if !strings.Contains(got, rel.versionLine("amd64")) {
		t.Errorf("install.sh did not end with followrank version:\n%s", got)
	}
	checkUser(t, r)
	checkModes(t, r, map[string]string{
		"/usr/local/bin/followrank":              "root:root 755",
		configPath:                               "root:followrank 640",
		"/var/lib/followrank/inbox":              "followrank:followrank 2770",
		"/var/lib/followrank/out":                "followrank:followrank 750",
		"/etc/systemd/system/followrank.service": "root:root 644",
	})
	if got := r.run("grep", "^ExecStart=", "/etc/systemd/system/followrank.service"); !strings.HasPrefix(got, "ExecStart=/usr/local/bin/followrank --config "+configPath+" serve") {
		t.Errorf("the unit install.sh wrote: %s", got)
	}
	r.run("sed", "-i", `s/^scope: ""/scope: "341622"/`, configPath)
	r.run(dir + "/install.sh")
	if got := r.run("grep", "^scope:", configPath); got != "scope: \"341622\"\n" || !r.exists(configPath+".new") {
		t.Errorf("install.sh again did not keep the edited config (%q) and write the new one beside it", got)
	}
	r.run(dir+"/install.sh", "--uninstall")
	if r.exists("/usr/local/bin/followrank") || r.exists("/etc/systemd/system/followrank.service") {
		t.Error("install.sh --uninstall left the program")
	}
	for _, p := range []string{configPath, "/var/lib/followrank/inbox"} {
		if !r.exists(p) {
			t.Errorf("install.sh --uninstall removed %s", p)
		}
	}
}

// checkQemu runs the arm64 and loong64 binaries under Debian's qemu-user:
// `version`, and `demo` against the test ClickHouse, whose dashboard, CSV
// table and 通报 must be the amd64 binary's byte for byte.
func (rel built) checkQemu(t *testing.T) {
	emulators := map[string]string{"arm64": "qemu-aarch64-static", "loong64": "qemu-loongarch64-static"}
	demo := func(t *testing.T, argv ...string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "followrank.yaml"), []byte("scope: \"340000\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(argv[0], append(argv[1:], "demo")...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "FOLLOWRANK_CLICKHOUSE_DSN="+storetest.Config(t).DSN)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s demo: %v\n%s", strings.Join(argv, " "), err, out)
		}
		t.Logf("%s demo (%.1fs):\n%s", strings.Join(argv, " "), time.Since(start).Seconds(), out)
		return filepath.Join(dir, "out")
	}
	native := demo(t, rel.bin(runtime.GOARCH))
	for arch, qemu := range emulators {
		t.Run(arch, func(t *testing.T) {
			out, err := exec.Command(qemu, rel.bin(arch), "version").CombinedOutput()
			t.Logf("%s %s version: %s", qemu, filepath.Base(rel.bin(arch)), out)
			if err != nil || string(out) != rel.versionLine(arch) {
				t.Errorf("%s version: %q (%v), want %q", arch, out, err, rel.versionLine(arch))
			}
			emulated := demo(t, qemu, rel.bin(arch))
			for _, f := range []string{"dashboard.html", "ranking.csv", "通报.docx"} {
				if demoFile(t, filepath.Join(emulated, f)) != demoFile(t, filepath.Join(native, f)) {
					t.Errorf("%s demo wrote a %s unlike %s's", arch, f, runtime.GOARCH)
				}
			}
			if _, err := os.Stat(filepath.Join(emulated, "ranking.xlsx")); err != nil {
				t.Error(err)
			}
		})
	}
}

// checkOffline installs the bundle on a fresh Debian 12 with no network,
// ClickHouse from its clickhouse/ too, and runs its demo there
// (scripts/offline-check.sh).
func (rel built) checkOffline(t *testing.T) {
	start := time.Now()
	out, err := exec.Command(filepath.Join(rel.r.root, "scripts", "offline-check.sh"), rel.bundle()).CombinedOutput()
	t.Logf("scripts/offline-check.sh (%.0fs):\n%s", time.Since(start).Seconds(), lastLines(string(out), 25))
	if err != nil {
		t.Fatalf("scripts/offline-check.sh: %v", err)
	}
	for _, want := range []string{rel.versionLine("amd64"), "out/通报.docx", "nothing fetched"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("scripts/offline-check.sh did not say %q", want)
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// generated is the dashboard's footer line that says when it was made, to
// the minute: the one part of the demo's files that is not the figures'.
var generated = regexp.MustCompile(`生成时间：[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}`)

// demoFile is a file the demo wrote, without its time of making.
func demoFile(t *testing.T, p string) string {
	return generated.ReplaceAllString(readFile(t, p), "生成时间：…")
}

func checkUser(t *testing.T, r *root) {
	t.Helper()
	pw := strings.Split(strings.TrimSpace(r.run("getent", "passwd", "followrank")), ":")
	if len(pw) != 7 || pw[5] != "/var/lib/followrank" || !strings.HasSuffix(pw[6], "nologin") {
		t.Errorf("the followrank user: %v", pw)
	} else if uid := pw[2]; len(uid) > 3 {
		t.Errorf("the followrank user has uid %s, not a system user's", uid)
	}
	if _, err := r.try("", "/", nil, "getent", "group", "followrank"); err != nil {
		t.Errorf("no followrank group: %v", err)
	}
}

func checkModes(t *testing.T, r *root, want map[string]string) {
	t.Helper()
	for p, w := range want {
		if got := strings.TrimSpace(r.run("stat", "-c", "%U:%G %a", p)); got != w {
			t.Errorf("%s: %s, want %s", p, got, w)
		}
	}
}

func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// testLog writes dist's progress to the test's log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func output(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func gunzip(t *testing.T, p string) string {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func hashFile(t *testing.T, p string) string {
	t.Helper()
	s, err := sha256File(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type tarEntry struct {
	hdr  *tar.Header
	sum  string
	data []byte // kept for small files
}

func readTar(t *testing.T, p string) []tarEntry {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out []tarEntry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		hash := sha256.New()
		var small bytes.Buffer
		w := io.Writer(hash)
		if h.Size < 1<<20 {
			w = io.MultiWriter(hash, &small)
		}
		if _, err := io.Copy(w, tr); err != nil {
			t.Fatal(err)
		}
		if path.IsAbs(h.Name) || strings.Contains(h.Name, "..") {
			t.Errorf("%s: unsafe name %s", p, h.Name)
		}
		out = append(out, tarEntry{hdr: h, sum: hex.EncodeToString(hash.Sum(nil)), data: small.Bytes()})
	}
}
