package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"followrank/config"
)

// docs are the files every architecture's packages share, written into
// the scratch folder.
type docs struct {
	conffile  string // /etc/followrank/followrank.yaml as shipped
	unit      string // the systemd unit
	man       string // followrank.1.gz, from `followrank --lang en help`
	manZh     string // the same in Chinese, for zh_CN locales
	changelog string // changelog.gz
	readme    string // README.md
	readmeGz  string // README.md.gz, for /usr/share/doc
	deb       string // deploy/deb: the maintainer scripts and the lintian overrides
	install   string // install.sh, for the .tar.gz
	offline   string // deploy/offline: the bundle's own files
}

func (r *release) docs(ctx context.Context) (docs, error) {
	d := docs{
		conffile:  filepath.Join(r.work, "followrank.yaml"),
		unit:      filepath.Join(r.root, "deploy", "followrank.service"),
		man:       filepath.Join(r.work, "followrank.1.gz"),
		manZh:     filepath.Join(r.work, "followrank.zh_CN.1.gz"),
		changelog: filepath.Join(r.work, "changelog.gz"),
		readme:    filepath.Join(r.root, "README.md"),
		readmeGz:  filepath.Join(r.work, "README.md.gz"),
		deb:       filepath.Join(r.root, "deploy", "deb"),
		install:   filepath.Join(r.root, "deploy", "install.sh"),
		offline:   filepath.Join(r.root, "deploy", "offline"),
	}
	example, err := os.ReadFile(filepath.Join(r.root, "followrank.example.yaml"))
	if err != nil {
		return docs{}, err
	}
	conf, err := packagedConfig(example)
	if err != nil {
		return docs{}, err
	}
	if err := os.WriteFile(d.conffile, conf, 0o644); err != nil {
		return docs{}, err
	}
	if err := checkPackagedConfig(d.conffile); err != nil {
		return docs{}, err
	}
	readme, err := os.ReadFile(d.readme)
	if err != nil {
		return docs{}, err
	}
	if err := writeGzip(d.readmeGz, readme); err != nil {
		return docs{}, err
	}
	if err := writeGzip(d.changelog, []byte(r.changelog())); err != nil {
		return docs{}, err
	}
	host, err := r.hostBinary(ctx)
	if err != nil {
		return docs{}, err
	}
	for _, m := range []struct {
		lang, path string
	}{{"en", d.man}, {"zh", d.manZh}} {
		help, err := r.help(ctx, host, m.lang)
		if err != nil {
			return docs{}, err
		}
		if err := writeGzip(m.path, []byte(r.manPage(m.lang, help))); err != nil {
			return docs{}, err
		}
	}
	return d, nil
}

// packagedConfig is /etc/followrank/followrank.yaml as the package ships
// it: followrank.example.yaml with what is the bureau's to say left empty
// (its scope and name, its submitters), and the demo's files under
// /var/lib/followrank. An edit that no longer finds its line fails, so
// that a change to the example is looked at here too.
func packagedConfig(example []byte) ([]byte, error) {
	lines := strings.Split(string(example), "\n")
	replace := func(old string, new ...string) error {
		i := slices.Index(lines, old)
		if i < 0 {
			return fmt.Errorf("followrank.example.yaml no longer has the line %q that the packaged config changes (cmd/dist/docs.go)", old)
		}
		lines = slices.Replace(lines, i, i+1, new...)
		return nil
	}
	// The example's submitter is 蒙城县's: none in a new install, the
	// example kept as a comment.
	if err := commentOut(&lines, "  submitters:", "  submitters: []   # none yet; for example:"); err != nil {
		return nil, err
	}
	for _, err := range []error{
		replace(`scope: "340000"`,
			`# 必填：本局的范围（区划代码或名称），如 341622 或 蒙城县。Required: set it to`,
			`# your bureau's unit; until it is set, followrank and the service say so and stop.`,
			`scope: ""`),
		replace("out_dir: out", "out_dir: /var/lib/followrank/out"),
		replace("bureau: 中共蒙城县委老干部局", `bureau: ""   # 本局全称，如 中共蒙城县委老干部局`),
	} {
		if err != nil {
			return nil, err
		}
	}
	head := []string{
		"# /etc/followrank/followrank.yaml, installed by the followrank package from",
		"# followrank.example.yaml. Your changes are kept on upgrade (a dpkg conffile).",
		"# Secrets go in /etc/followrank/env, which the service reads, e.g.",
		"#   FOLLOWRANK_CLICKHOUSE_DSN=clickhouse://followrank:PASSWORD@10.1.2.3:9000/followrank",
		"# followrank at a terminal reads this file too when there is no ./followrank.yaml.",
		"#",
	}
	return []byte(strings.Join(append(head, lines...), "\n")), nil
}

// commentOut replaces the line key and the lines indented below it with
// first, followed by them as comments.
func commentOut(lines *[]string, key, first string) error {
	i := slices.Index(*lines, key)
	if i < 0 {
		return fmt.Errorf("followrank.example.yaml no longer has the line %q that the packaged config changes (cmd/dist/docs.go)", key)
	}
	indent := len(key) - len(strings.TrimLeft(key, " "))
	end := i + 1
	for end < len(*lines) {
		l := (*lines)[end]
		if strings.TrimSpace(l) != "" && len(l)-len(strings.TrimLeft(l, " ")) <= indent {
			break
		}
		end++
	}
	block := []string{first}
	for _, l := range (*lines)[i:end] {
		if strings.TrimSpace(l) == "" {
			block = append(block, l)
			continue
		}
		block = append(block, l[:indent]+"# "+l[indent:])
	}
	*lines = slices.Replace(*lines, i, end, block...)
	return nil
}

// checkPackagedConfig loads the packaged config as followrank will: it
// must be valid once the bureau has set its scope, and say that the scope
// is missing until then.
func checkPackagedConfig(path string) error {
	if _, err := config.Load(path, true, []string{"FOLLOWRANK_SCOPE=341622"}); err != nil {
		return fmt.Errorf("the packaged config does not load with a scope set: %w", err)
	}
	_, err := config.Load(path, true, nil)
	var ve *config.ValidationError
	if !errors.As(err, &ve) || ve.Key != "scope" {
		return fmt.Errorf("the packaged config without a scope: %v; want only scope reported", err)
	}
	return nil
}

// hostBinary is a followrank that runs here, to write the manual page
// from its help.
func (r *release) hostBinary(ctx context.Context) (string, error) {
	if runtime.GOOS != "linux" {
		return "", errors.New("dist runs on Linux")
	}
	if slices.Contains(r.arches, runtime.GOARCH) {
		return filepath.Join(r.out, r.binaryName(runtime.GOARCH)), nil
	}
	bin := filepath.Join(r.work, "followrank-host")
	return bin, r.compile(ctx, runtime.GOARCH, bin)
}

// help is `followrank --lang LANG help`, run where no followrank.yaml is.
func (r *release) help(ctx context.Context, bin, lang string) (string, error) {
	abs, err := filepath.Abs(bin)
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, abs, "--lang", lang, "help")
	cmd.Dir = r.work
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s --lang %s help: %w", bin, lang, err)
	}
	return string(out), nil
}

// manPage is followrank(1): the help, and where a packaged install keeps
// its files.
func (r *release) manPage(lang, help string) string {
	date := r.stamp.Date.Format("2006-01-02")
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	text := map[string]map[string]string{
		"en": {
			"name":     `followrank \- rank units by the follow rate of the official account "离退休干部工作"`,
			"synopsis": "SYNOPSIS", "description": "DESCRIPTION", "files": "FILES", "see": "SEE ALSO",
			"conf":   "The configuration: ClickHouse, the scope, the schedule, the sources. Read by the service, and by followrank at a terminal when there is no ./followrank.yaml.",
			"env":    "Secrets for the service (FOLLOWRANK_CLICKHOUSE_DSN with its password, tokens), one VAR=value a line; create it 0640 root:followrank.",
			"data":   "The service's folder: inbox/ takes figure sheets (done/ and failed/ below it), out/ the demo's files.",
			"unit":   "The systemd unit: systemctl enable \\-\\-now followrank.",
			"readme": "The README: installing on a server, upgrading, and every command.",
		},
		"zh": {
			"name":     `followrank \- 按关注“离退休干部工作”公众号的比例给各单位排名`,
			"synopsis": "用法", "description": "说明", "files": "文件", "see": "参见",
			"conf":   "配置文件：ClickHouse、范围、定时任务、数据源。服务读取它；在终端运行 followrank 时，当前目录下没有 followrank.yaml 也读取它。",
			"env":    "服务用的密码等（带密码的 FOLLOWRANK_CLICKHOUSE_DSN、令牌），每行一个 变量=值；权限设为 0640 root:followrank。",
			"data":   "服务的文件夹：inbox/ 接收报表（其下 done/ 和 failed/），out/ 存放演示生成的文件。",
			"unit":   "systemd 服务单元：systemctl enable \\-\\-now followrank。",
			"readme": "README：在服务器上安装、升级，以及每个命令的说明（英文）。",
		},
	}[lang]
	line(`.TH FOLLOWRANK 1 "` + date + `" "followrank ` + r.stamp.Version + `"`)
	line(".SH NAME")
	line(text["name"])
	line(".SH " + text["synopsis"])
	line(`.B followrank`)
	line(`[\fB\-\-config\fR \fIFILE\fR] [\fB\-\-lang\fR \fBzh\fR|\fBen\fR] \fICOMMAND\fR [\fIoptions\fR]`)
	line(".SH " + text["description"])
	line(".nf")
	for _, l := range strings.Split(strings.TrimRight(help, "\n"), "\n") {
		line(roff(l))
	}
	line(".fi")
	line(".SH " + text["files"])
	for _, f := range []struct{ path, key string }{
		{configPath, "conf"}, {"/etc/followrank/env", "env"}, {"/var/lib/followrank", "data"}, {unitPath, "unit"},
	} {
		line(".TP")
		line(".I " + f.path)
		line(text[f.key])
	}
	line(".SH " + text["see"])
	line(".TP")
	line(".I " + docDir + "/README.md.gz")
	line(text["readme"])
	return b.String()
}

// roff escapes a line of text for a man page's no-fill block.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}

// changelog is the package's changelog: a native package's, one entry for
// the release.
func (r *release) changelog() string {
	return fmt.Sprintf(`followrank (%s) unstable; urgency=medium

  * Built from commit %s.
    What changed is in the project's history; README.md says how to
    install and upgrade.

 -- %s  %s
`, r.stamp.Version, r.stamp.Commit, maintainer, r.stamp.Date.Format("Mon, 02 Jan 2006 15:04:05 -0700"))
}

// writeGzip writes data gzipped as Debian wants it in /usr/share/doc and
// /usr/share/man: best compression, no name and no time in the header.
func writeGzip(path string, data []byte) error {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
