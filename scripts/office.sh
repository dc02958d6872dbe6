#!/usr/bin/env bash
# Install LibreOffice (Writer and Calc, without the desktop) and poppler-utils,
# which the print tests use to turn the 通报 and the ranking table into PDF and
# read the pages back, and `followrank tongbao -o X.pdf` uses to print. Safe to
# run again.
set -euo pipefail

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "office: ${missing[*]} missing and this is not a Debian/Ubuntu machine; print tests will fail" >&2
	exit 0
fi
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "office: installing ${missing[*]} with apt-get (once, about 250 MB)" >&2
# apt-get update once: not again when scripts/browser.sh just did it.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null | head -1)" ]; then
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
fi
sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
