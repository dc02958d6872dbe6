#!/bin/sh
# install.sh: put followrank in place from this folder, on a Linux server
# without dpkg (银河麒麟高级服务器操作系统 V10 and other rpm-based systems), as
# the .deb would: the binary in /usr/local/bin, the config in
# /etc/followrank/followrank.yaml (an edited one is kept; the new one is
# written beside it as followrank.yaml.new), the systemd unit, the
# followrank user and /var/lib/followrank/{inbox,out}.
#
#   sudo ./install.sh              install, or upgrade (restarts a running service)
#   sudo ./install.sh --uninstall  remove the binary and the unit; keep the
#                                  config, /var/lib/followrank and the user
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-/usr/local}
unit=/etc/systemd/system/followrank.service
systemd_running() { [ -d /run/systemd/system ]; }

if [ "$(id -u)" -ne 0 ]; then
	echo "install.sh: run it as root: sudo $0 $*" >&2
	exit 1
fi

case "${1:-}" in
--uninstall)
	if systemd_running; then
		systemctl disable --now followrank.service >/dev/null 2>&1 || true
	fi
	rm -f "$prefix/bin/followrank" "$unit" \
		"$prefix/share/man/man1/followrank.1.gz" "$prefix/share/man/zh_CN/man1/followrank.1.gz"
	if systemd_running; then systemctl daemon-reload; fi
	echo "followrank removed; kept /etc/followrank, /var/lib/followrank and the followrank user"
	exit 0
	;;
"") ;;
*)
	echo "usage: sudo ./install.sh [--uninstall]" >&2
	exit 2
	;;
esac

if ! getent passwd followrank >/dev/null; then
	nologin=$(command -v nologin || echo /sbin/nologin)
	useradd --system --user-group --home-dir /var/lib/followrank --no-create-home \
		--shell "$nologin" --comment followrank followrank
fi
[ -d /var/lib/followrank ] || install -d -o followrank -g followrank -m 0750 /var/lib/followrank
[ -d /var/lib/followrank/inbox ] || install -d -o followrank -g followrank -m 2770 /var/lib/followrank/inbox
[ -d /var/lib/followrank/out ] || install -d -o followrank -g followrank -m 0750 /var/lib/followrank/out

install -d -m 0755 /etc/followrank "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/man/zh_CN/man1"
if [ ! -e /etc/followrank/followrank.yaml ]; then
	install -m 0640 -o root -g followrank "$here/followrank.yaml" /etc/followrank/followrank.yaml
elif ! cmp -s "$here/followrank.yaml" /etc/followrank/followrank.yaml; then
	install -m 0640 -o root -g followrank "$here/followrank.yaml" /etc/followrank/followrank.yaml.new
	echo "kept /etc/followrank/followrank.yaml; this release's is /etc/followrank/followrank.yaml.new"
fi
install -m 0755 "$here/followrank" "$prefix/bin/followrank"
install -m 0644 "$here/followrank.1.gz" "$prefix/share/man/man1/followrank.1.gz"
install -m 0644 "$here/followrank.zh_CN.1.gz" "$prefix/share/man/zh_CN/man1/followrank.1.gz"
sed "s|/usr/bin/followrank|$prefix/bin/followrank|" "$here/followrank.service" >"$unit.tmp"
chmod 0644 "$unit.tmp"
mv "$unit.tmp" "$unit"

if systemd_running; then
	systemctl daemon-reload
	systemctl try-restart followrank.service
fi
"$prefix/bin/followrank" version
echo "next: set scope in /etc/followrank/followrank.yaml, then"
echo "  followrank migrate && systemctl enable --now followrank"
