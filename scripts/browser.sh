#!/usr/bin/env bash
# Install Debian's Chromium and a CJK font, which the browser tests and
# `followrank chart --png` use, when they are missing. Safe to run again.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "browser: ${missing[*]} missing and this is not a Debian/Ubuntu machine; browser tests will be skipped" >&2
	exit 0
fi
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "browser: installing ${missing[*]} with apt-get (once)" >&2
sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
