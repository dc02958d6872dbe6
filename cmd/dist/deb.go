package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/goreleaser/nfpm/v2"
	"github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
)

// description is the package's Description: its synopsis, then the rest.
const description = `follow-rate rankings of retired-cadre units, charts and 通报
followrank ranks the units of a retired-cadre work bureau (老干部局) by how
many of their retired cadres follow the national WeChat official account
"离退休干部工作": the follow rate (关注率 = 关注人数 ÷ 离退休干部数). It stores
the figures in ClickHouse, rolls them up province, city, county, unit, ranks
siblings, follows a unit's climb over the months, and writes what a bureau
publishes each month: the ranking table (通报) as XLSX, CSV or Word, and
charts that open offline on a government intranet.

This package runs "followrank serve" as the systemd service followrank,
not enabled until the bureau has set its scope in
/etc/followrank/followrank.yaml.`

// deb writes followrank_VERSION_ARCH.deb and returns its path.
func (r *release) deb(arch, bin, copyright string, d docs) (string, error) {
	overrides, err := r.lintianOverrides(arch, d)
	if err != nil {
		return "", err
	}
	file := func(src, dst string, mode os.FileMode) *files.Content {
		return &files.Content{Source: src, Destination: dst, FileInfo: &files.ContentFileInfo{Mode: mode, MTime: r.stamp.Date}}
	}
	conffile := file(d.conffile, configPath, 0o644) // postinst makes it 0640 root:followrank
	conffile.Type = files.TypeConfig
	info := &nfpm.Info{
		Name:          "followrank",
		Arch:          arch,
		Platform:      "linux",
		Version:       r.stamp.Version,
		VersionSchema: "none",
		Section:       "misc",
		Priority:      "optional",
		Maintainer:    maintainer,
		Description:   description,
		MTime:         r.stamp.Date,
		Overridables: nfpm.Overridables{
			Depends:    []string{"adduser"},
			Recommends: []string{"clickhouse-server"},
			// Chromium draws PNGs (with a CJK font for the Chinese);
			// LibreOffice Writer prints the 通报 as PDF.
			Suggests: []string{"chromium", "libreoffice-writer-nogui | libreoffice-writer", "fonts-wqy-microhei"},
			Umask:    0o022,
			Contents: files.Contents{
				file(bin, binPath, 0o755),
				conffile,
				file(d.unit, unitPath, 0o644),
				file(copyright, docDir+"/copyright", 0o644),
				file(d.changelog, docDir+"/changelog.gz", 0o644),
				file(d.readmeGz, docDir+"/README.md.gz", 0o644),
				file(d.man, "/usr/share/man/man1/followrank.1.gz", 0o644),
				file(d.manZh, "/usr/share/man/zh_CN/man1/followrank.1.gz", 0o644),
				file(overrides, "/usr/share/lintian/overrides/followrank", 0o644),
			},
			Scripts: nfpm.Scripts{
				PostInstall: filepath.Join(d.deb, "postinst"),
				PreRemove:   filepath.Join(d.deb, "prerm"),
				PostRemove:  filepath.Join(d.deb, "postrm"),
			},
			Deb: nfpm.Deb{Compression: "gzip"}, // xz is a tenth smaller and takes 15 s more an architecture
		},
	}
	path := filepath.Join(r.out, fmt.Sprintf("followrank_%s_%s.deb", r.stamp.Version, arch))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := deb.Default.Package(nfpm.WithDefaults(info), f); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// lintianOverrides are deploy/deb/lintian-overrides and, for arch, those of
// deploy/deb/lintian-overrides.ARCH, each with the reason it is given.
func (r *release) lintianOverrides(arch string, d docs) (string, error) {
	all, err := os.ReadFile(filepath.Join(d.deb, "lintian-overrides"))
	if err != nil {
		return "", err
	}
	own, err := os.ReadFile(filepath.Join(d.deb, "lintian-overrides."+arch))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	path := filepath.Join(r.work, "lintian-overrides-"+arch)
	return path, os.WriteFile(path, append(all, own...), 0o644)
}
