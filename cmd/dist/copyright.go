package main

import (
	"context"
	"debug/buildinfo"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// copyright writes the package's copyright file for the binary at bin: the
// hand-written head (deploy/deb/copyright: followrank and the files it
// embeds), then a paragraph for the Go standard library and one for each Go
// module the binary was built with, read from the binary itself, each with
// its licence as the module states it.
func (r *release) copyright(ctx context.Context, bin, dst string) error {
	head, err := os.ReadFile(filepath.Join(r.root, "deploy", "deb", "copyright"))
	if err != nil {
		return err
	}
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		return fmt.Errorf("%s: %w", bin, err)
	}
	goroot, err := r.goEnv(ctx, "GOROOT")
	if err != nil {
		return err
	}
	modcache, err := r.goEnv(ctx, "GOMODCACHE")
	if err != nil {
		return err
	}
	var b strings.Builder
	b.Write(head)
	p, err := licenceParagraph(info.GoVersion, goroot)
	if err != nil {
		return err
	}
	b.WriteString("\n" + p)
	deps := info.Deps
	sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
	for _, m := range deps {
		if m.Replace != nil {
			m = m.Replace
		}
		dir, err := moduleDir(modcache, m.Path, m.Version)
		if err != nil {
			return err
		}
		p, err := licenceParagraph(m.Path+"@"+m.Version, dir)
		if err != nil {
			return err
		}
		b.WriteString("\n" + p)
	}
	b.WriteString("\n" + apacheParagraph)
	return os.WriteFile(dst, []byte(b.String()), 0o644)
}

func (r *release) goEnv(ctx context.Context, key string) (string, error) {
	out, err := exec.CommandContext(ctx, r.goCmd, "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// moduleDir is where the module cache keeps path@version; capitals are
// written !lower there.
func moduleDir(modcache, path, version string) (string, error) {
	var b strings.Builder
	for _, c := range path + "@" + version {
		if unicode.IsUpper(c) {
			b.WriteString("!" + string(unicode.ToLower(c)))
		} else {
			b.WriteRune(c)
		}
	}
	dir := filepath.Join(modcache, filepath.FromSlash(b.String()))
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("module %s@%s is not in the module cache (go mod download): %w", path, version, err)
	}
	return dir, nil
}

// licenceParagraph is the copyright file's paragraph for the code in dir
// (what: a module as path@version, or Go as go1.26.0):
// its copyright lines and its licence, the text as the code states it
// (Apache-2.0 by reference to the text Debian ships), and its NOTICE, which
// the Apache License asks to pass on.
func licenceParagraph(what, dir string) (string, error) {
	name, text, err := licenceFile(dir)
	if err != nil {
		return "", fmt.Errorf("%s: %w", what, err)
	}
	short, ok := licenceName(text)
	if !ok {
		return "", fmt.Errorf("%s: cannot tell the licence in %s; name it in licenceName (cmd/dist/copyright.go)", what, name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Files: %s/*\n", what)
	holders := copyrightLines(text)
	if len(holders) == 0 {
		holders = []string{"the authors of " + what}
	}
	b.WriteString("Copyright: " + strings.Join(holders, "\n "))
	b.WriteString("\nLicense: " + short)
	if short != "Apache-2.0" {
		b.WriteString("\n" + continuation(text))
	}
	if notice, err := os.ReadFile(filepath.Join(dir, "NOTICE")); err == nil {
		b.WriteString("\nComment: Its NOTICE file:\n" + continuation(string(notice)))
	}
	return b.String() + "\n", nil
}

// licenceFile finds the licence at the top of a module or of GOROOT.
func licenceFile(dir string) (name, text string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", "", err
	}
	for _, e := range entries {
		n := strings.ToUpper(e.Name())
		if !e.IsDir() && (strings.HasPrefix(n, "LICENSE") || strings.HasPrefix(n, "LICENCE") || strings.HasPrefix(n, "COPYING")) {
			data, err := os.ReadFile(filepath.Join(dir, e.Name()))
			return e.Name(), string(data), err
		}
	}
	return "", "", fmt.Errorf("no LICENSE file in %s", dir)
}

// licenceName tells the licences Go modules use apart by their words,
// under the names of Debian's copyright format.
func licenceName(text string) (string, bool) {
	has := func(s string) bool { return strings.Contains(text, s) }
	switch {
	case has("MIT and Apache") && has("Apache License"):
		return "Expat and Apache-2.0", true // go.yaml.in/yaml/v3
	case has("Apache License") && has("Version 2.0"):
		return "Apache-2.0", true
	case has("MIT No Attribution"):
		return "MIT-0", true
	case has("Permission is hereby granted, free of charge"):
		return "Expat", true
	case has("Redistribution and use in source and binary forms"):
		if has("Neither the name") || has("names of its contributors") || has("name of the copyright holder") {
			return "BSD-3-clause", true
		}
		return "BSD-2-clause", true
	}
	return "", false
}

var (
	copyrightRe = regexp.MustCompile(`(?i)^\s*copyright\s*(\(c\)|©)?\s*(.+)$`)
	yearRe      = regexp.MustCompile(`\b(19|20)[0-9][0-9]\b`)
)

// copyrightLines are the holders a licence text names.
func copyrightLines(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range strings.Split(text, "\n") {
		// A holder is named with a year or (c); "copyright notice",
		// "copyright owner" and the template "[yyyy]" are the licence's words.
		m := copyrightRe.FindStringSubmatch(l)
		if m == nil || (m[1] == "" && !yearRe.MatchString(m[2])) || strings.Contains(m[2], "[yyyy]") {
			continue
		}
		h := strings.TrimSpace(m[2])
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// continuation formats text as the continuation lines of a field: each
// line indented by a space, an empty line as " .".
func continuation(text string) string {
	var b strings.Builder
	for i, l := range strings.Split(strings.TrimRight(strings.ReplaceAll(text, "\r", ""), "\n \t"), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		l = strings.TrimRight(strings.ReplaceAll(l, "\t", "        "), " ")
		if l == "" {
			b.WriteString(" .")
		} else {
			b.WriteString(" " + l)
		}
	}
	return b.String()
}

// apacheParagraph is the Apache License's standalone paragraph: Debian
// ships its text.
const apacheParagraph = `License: Apache-2.0
 Licensed under the Apache License, Version 2.0 (the "License"); you may not
 use this file except in compliance with the License. You may obtain a copy
 of the License at http://www.apache.org/licenses/LICENSE-2.0
 .
 Unless required by applicable law or agreed to in writing, software
 distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
 WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
 License for the specific language governing permissions and limitations
 under the License.
 .
 On Debian systems, the complete text of the Apache License, Version 2.0 can
 be found in "/usr/share/common-licenses/Apache-2.0".
`
