#!/usr/bin/env bash
# Install chDB, ClickHouse in process (the npm package chdb, Apache-2.0, with
# its prebuilt engine @chdb/lib-linux-x64-gnu, ClickHouse 26.7), for `make
# test-current`, into DIR: a cache outside the repository. The first install
# downloads about 550 MB from the npm registry; later runs reuse it while
# package-lock.json is unchanged. Safe to run again.
#
#	scripts/current/install.sh DIR
set -euo pipefail
dir=${1:?usage: scripts/current/install.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)

if [ -d "$dir/node_modules/chdb" ] && cmp -s "$here/package-lock.json" "$dir/installed-lock.json"; then
	exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "test-current: npm not found; install Node.js (Debian: apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$dir"
cp "$here/package.json" "$here/package-lock.json" "$dir/"
echo "test-current: installing chDB into $dir (about 550 MB the first time)"
start=$(date +%s)
# npm install, not npm ci: the lock names only the engine for linux-x64, and
# npm ci refuses a lock without chdb's optional engines for other platforms.
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
cp "$here/package-lock.json" "$dir/installed-lock.json"
echo "test-current: chDB installed in $(($(date +%s) - start)) s"
