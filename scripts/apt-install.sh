#!/usr/bin/env bash
# apt_install WHO PACKAGE...: install Debian packages the tests need, with
# apt-get update once (not again when another script just ran it). Sourced
# by browser.sh and office.sh. On a machine without apt-get it says what is
# missing and returns, and the tests that need them say so.
apt_install() {
	local who=$1
	shift
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "$who: $* missing and this is not a Debian/Ubuntu machine; install them by hand" >&2
		return 0
	fi
	sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
	echo "$who: installing $* with apt-get (once)" >&2
	if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null | head -1)" ]; then
		sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	fi
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
