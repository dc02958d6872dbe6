#!/usr/bin/env bash
# Install LibreOffice (Writer and Calc, without the desktop) and poppler-utils,
# which the print tests use to turn the 通报 and the ranking table into PDF and
# read the pages back, and `followrank tongbao -o X.pdf` uses to print. Safe to
# run again.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] || apt_install office "${missing[@]}"
