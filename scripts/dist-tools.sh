#!/usr/bin/env bash
# Install what `make test-dist` needs besides Go, when it is missing:
# lintian; systemd, for systemd-analyze to check the unit (nothing is
# started); and Debian's qemu-user-static for the arm64 and loong64 binaries
# (Debian 12's has qemu-loongarch64-static). Safe to run again.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"

missing=()
command -v lintian >/dev/null 2>&1 || missing+=(lintian)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
{ command -v qemu-aarch64-static && command -v qemu-loongarch64-static; } >/dev/null 2>&1 || missing+=(qemu-user-static)
[ ${#missing[@]} -eq 0 ] || apt_install dist "${missing[@]}"
