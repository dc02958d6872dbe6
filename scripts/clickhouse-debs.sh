#!/usr/bin/env bash
# scripts/clickhouse-debs.sh DIR: download into DIR Debian 12's ClickHouse
# (clickhouse-server, clickhouse-client, amd64) and every package they need
# that a standard Debian 12 install (priority required and important) lacks,
# for the offline bundle (`make dist`). apt works out both sets as it would
# install them on an empty system; the bundle carries the difference, so that
# `apt install ./clickhouse/*.deb` never downgrades what a server has.
# Packages already in DIR at the wanted version are not fetched again;
# others in DIR are removed. Needs apt-get, not root: apt-get download.
set -euo pipefail

dir=${1:?usage: scripts/clickhouse-debs.sh DIR}
say() { printf 'clickhouse-debs: %s\n' "$*" >&2; }

if ! command -v apt-get >/dev/null 2>&1 || ! apt-cache show --no-all-versions clickhouse-server:amd64 >/dev/null 2>&1; then
	say "no Debian package clickhouse-server:amd64 known to apt here; the bundle will have no ClickHouse"
	exit 3
fi
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
	say "apt's lists are over a day old; updating them"
	if [ "$(id -u)" -eq 0 ]; then apt-get update -qq; else sudo apt-get update -qq; fi
fi

# The list of the last run stands while apt's lists are older than it.
if [ -s "$dir/.files" ] && [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -newer "$dir/.files" | head -1)" ] &&
	(cd "$dir" && xargs -a .files ls >/dev/null 2>&1); then
	say "$(wc -l <"$dir/.files") packages in $dir, as apt's lists still have them"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/status"
# What apt would install on a system with nothing installed.
closure() {
	apt-get -s -o Dir::State::status="$tmp/status" -o APT::Install-Recommends=false \
		-o Debug::NoLocking=1 install "$@" 2>/dev/null | awk '/^Inst /{print $2}' | sort -u
}
closure clickhouse-server:amd64 clickhouse-client:amd64 | sed 's/:amd64$//' >"$tmp/clickhouse"
apt-cache dumpavail | awk '/^Package:/{p=$2} /^Priority: (required|important)$/{print p}' | sort -u >"$tmp/roots"
# shellcheck disable=SC2046
closure $(cat "$tmp/roots") | sed 's/:amd64$//' >"$tmp/base"
comm -23 "$tmp/clickhouse" "$tmp/base" >"$tmp/wanted"
if ! grep -qx clickhouse-server "$tmp/wanted"; then
	say "apt could not work out what clickhouse-server needs"
	exit 1
fi

# apt-get download --print-uris: 'URI' FILE SIZE SHA256:…, asked where
# none of them is (it leaves out those already in the folder).
# shellcheck disable=SC2046
(cd "$tmp" && apt-get download --print-uris $(sed 's/$/:amd64/' "$tmp/wanted")) | awk '{print $2}' | sort >"$tmp/files"
mkdir -p "$dir"
cd "$dir"
for f in *.deb; do
	[ -e "$f" ] || continue
	grep -qxF "$f" "$tmp/files" || rm -f "$f"
done
missing=()
while read -r f; do
	[ -e "$f" ] || missing+=("${f%%_*}:amd64")
done <"$tmp/files"
if [ ${#missing[@]} -gt 0 ]; then
	say "downloading ${#missing[@]} packages into $dir"
	sandbox=()
	[ "$(id -u)" -ne 0 ] || sandbox=(-o APT::Sandbox::User=root) # _apt may not write here
	apt-get download -qq "${sandbox[@]}" "${missing[@]}"
fi
cp "$tmp/files" .files
say "$(wc -l <"$tmp/files") packages in $dir ($(du -sh . | cut -f1))"
