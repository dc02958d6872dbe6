#!/usr/bin/env bash
# Make the README's pictures from the demo's figures, as a user would: the
# national map, a city's map of its counties and a county's climb, each
# drawn by `followrank chart … --png`, and the web app on a PC and on a
# phone (`followrank serve`, in headless Chromium), into docs/img/. Needs ClickHouse (it
# starts the private one `make demo` uses) and Chromium (scripts/browser.sh).
#
#   scripts/screenshots.sh            # or: make screenshots
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/clickhouse.sh start >/dev/null
scripts/browser.sh
bin=bin/followrank
go build -o "$bin" ./cmd/followrank

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A database of its own, so the pictures never show another run's figures.
export FOLLOWRANK_CLICKHOUSE_DSN=${FOLLOWRANK_SCREENSHOTS_DSN:-clickhouse://127.0.0.1:9000/followrank_screenshots}
root=$PWD
(cd "$work" && "$root/$bin" demo >/dev/null)

shot() { # name, chart arguments...
	local name=$1
	shift
	(cd "$work" && "$root/$bin" chart "$@" -o "$name.html" --png "$root/docs/img/$name.png" >/dev/null)
	echo "wrote docs/img/$name.png"
}
mkdir -p docs/img
shot map-china map --within 全国 --date 2024-06-30
shot map-bozhou map --within 亳州市 --date 2024-06-30 --highlight 蒙城县
shot climb-mengcheng climb --unit 蒙城县 --from 2023-01-31 --to 2024-06-30

# The web app, served as a bureau serves it, on a PC and on a phone.
port=${FOLLOWRANK_SCREENSHOTS_PORT:-18089}
(cd "$work" && exec "$root/$bin" serve --addr 127.0.0.1:$port >"$work/serve.log" 2>&1) &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
browser=$(command -v chromium || command -v chromium-browser)
snap() { # name, width, height, path
	"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$work/chromium-$1" --hide-scrollbars \
		--window-size="$2,$3" --virtual-time-budget=5000 --screenshot="docs/img/$1.png" "http://127.0.0.1:$port$4" 2>/dev/null
	echo "wrote docs/img/$1.png"
}
snap web-pc 1280 900 "/?within=亳州市&focus=蒙城县&lang=zh"
snap web-phone 390 844 "/?within=蒙城县&lang=zh"
