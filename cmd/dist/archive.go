package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"time"
)

// tarball writes followrank-VERSION-linux-ARCH.tar.gz, for systems without
// dpkg: what the .deb installs, in one folder, with install.sh to put it in
// place.
func (r *release) tarball(arch, bin, copyright string, d docs) (string, error) {
	name := r.binaryName(arch)
	file := filepath.Join(r.out, name+".tar.gz")
	t, err := newTarball(file, r.stamp.Date, gzip.DefaultCompression)
	if err != nil {
		return "", err
	}
	for _, e := range []struct {
		src, name string
		mode      int64
	}{
		{bin, "followrank", 0o755},
		{d.install, "install.sh", 0o755},
		{d.conffile, "followrank.yaml", 0o644},
		{d.unit, "followrank.service", 0o644},
		{d.man, "followrank.1.gz", 0o644},
		{d.manZh, "followrank.zh_CN.1.gz", 0o644},
		{d.readme, "README.md", 0o644},
		{copyright, "copyright", 0o644},
	} {
		if err := t.file(name+"/"+e.name, e.mode, e.src); err != nil {
			t.close()
			return "", err
		}
	}
	return file, t.close()
}

// bundle writes followrank-offline_VERSION.tar.gz: what a bureau carries
// into an intranet with no internet. The packages and tarballs of every
// architecture, the README, INSTALL.txt, the demo's own config, Debian's
// ClickHouse packages when given, and SHA256SUMS of them all.
func (r *release) bundle(parts []string, d docs) (string, error) {
	top := "followrank-offline_" + r.stamp.Version
	file := filepath.Join(r.out, top+".tar.gz")
	type entry struct {
		src, name string
		mode      int64
	}
	entries := []entry{
		{d.readme, "README.md", 0o644},
		{filepath.Join(d.offline, "demo", "followrank.yaml"), "demo/followrank.yaml", 0o644},
	}
	for _, p := range parts {
		entries = append(entries, entry{p, filepath.Base(p), 0o644})
	}
	var clickhouse []string
	if r.clickhouse != "" {
		debs, err := filepath.Glob(filepath.Join(r.clickhouse, "*.deb"))
		if err != nil {
			return "", err
		}
		if len(debs) == 0 {
			return "", fmt.Errorf("-clickhouse %s holds no .deb", r.clickhouse)
		}
		sort.Strings(debs)
		for _, p := range debs {
			entries = append(entries, entry{p, "clickhouse/" + filepath.Base(p), 0o644})
			clickhouse = append(clickhouse, filepath.Base(p))
		}
	} else {
		fmt.Fprintln(r.log, "dist: the offline bundle has no ClickHouse (no -clickhouse folder given)")
	}
	install, err := r.installText(d, clickhouse)
	if err != nil {
		return "", err
	}
	installPath := filepath.Join(r.work, "INSTALL.txt")
	if err := os.WriteFile(installPath, install, 0o644); err != nil {
		return "", err
	}
	entries = append(entries, entry{installPath, "INSTALL.txt", 0o644})

	var sums strings.Builder
	for _, e := range entries {
		sum, err := sha256File(e.src)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&sums, "%s  %s\n", sum, e.name)
	}
	t, err := newTarball(file, r.stamp.Date, gzip.BestSpeed) // its parts are compressed already
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if err := t.file(top+"/"+e.name, e.mode, e.src); err != nil {
			t.close()
			return "", err
		}
	}
	if err := t.bytes(top+"/SHA256SUMS", 0o644, []byte(sums.String())); err != nil {
		t.close()
		return "", err
	}
	return file, t.close()
}

// installText is the bundle's INSTALL.txt, from deploy/offline/INSTALL.txt.
func (r *release) installText(d docs, clickhouse []string) ([]byte, error) {
	tmpl, err := template.ParseFiles(filepath.Join(d.offline, "INSTALL.txt"))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = tmpl.Execute(&b, map[string]any{"Version": r.stamp.Version, "Arches": r.arches, "ClickHouse": clickhouse})
	return b.Bytes(), err
}

// tarWriter writes a .tar.gz that is the same byte for byte whenever its
// files are: entries owned by root, all dated alike, parents first.
type tarWriter struct {
	f    *os.File
	gz   *gzip.Writer
	tw   *tar.Writer
	date time.Time
	dirs map[string]bool
}

func newTarball(file string, date time.Time, level int) (*tarWriter, error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	gz, err := gzip.NewWriterLevel(f, level)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &tarWriter{f: f, gz: gz, tw: tar.NewWriter(gz), date: date, dirs: map[string]bool{}}, nil
}

func (t *tarWriter) header(name string, mode, size int64, typ byte) *tar.Header {
	return &tar.Header{Name: name, Mode: mode, Size: size, Typeflag: typ, ModTime: t.date, Uname: "root", Gname: "root"}
}

// parents writes the folders above name not written yet.
func (t *tarWriter) parents(name string) error {
	dir := path.Dir(name)
	if dir == "." || t.dirs[dir] {
		return nil
	}
	if err := t.parents(dir); err != nil {
		return err
	}
	t.dirs[dir] = true
	return t.tw.WriteHeader(t.header(dir+"/", 0o755, 0, tar.TypeDir))
}

func (t *tarWriter) file(name string, mode int64, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := t.parents(name); err != nil {
		return err
	}
	if err := t.tw.WriteHeader(t.header(name, mode, st.Size(), tar.TypeReg)); err != nil {
		return err
	}
	_, err = io.Copy(t.tw, f)
	return err
}

func (t *tarWriter) bytes(name string, mode int64, data []byte) error {
	if err := t.parents(name); err != nil {
		return err
	}
	if err := t.tw.WriteHeader(t.header(name, mode, int64(len(data)), tar.TypeReg)); err != nil {
		return err
	}
	_, err := t.tw.Write(data)
	return err
}

func (t *tarWriter) close() error {
	err := t.tw.Close()
	if e := t.gz.Close(); err == nil {
		err = e
	}
	if e := t.f.Close(); err == nil {
		err = e
	}
	return err
}

func sha256File(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeSums writes SHA256SUMS of files, named relative to dir, as
// `sha256sum -c` reads them.
func writeSums(sums, dir string, files []string) error {
	var b strings.Builder
	for _, f := range files {
		sum, err := sha256File(f)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", sum, filepath.ToSlash(rel))
	}
	return os.WriteFile(sums, []byte(b.String()), 0o644)
}
