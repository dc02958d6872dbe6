#!/usr/bin/env bash
# Install Debian's Chromium and a CJK font, which the browser tests and
# `followrank chart --png` use, when they are missing. Safe to run again.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"

missing=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] || apt_install browser "${missing[@]}"
