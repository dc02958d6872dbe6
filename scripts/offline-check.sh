#!/usr/bin/env bash
# scripts/offline-check.sh dist/followrank-offline_VERSION.tar.gz: install the
# offline bundle as a bureau would, on a fresh Debian 12 amd64 with no network,
# and run the demo there with the bundle's ClickHouse.
# scripts/offline-check.sh --prepare: only make the Debian 12, if not made yet.
#
# debootstrap (installed with apt-get when missing) makes the Debian 12 once,
# its default set of packages (priority required and important), in
# var/offline-debian12 (about 300 MB; `rm -rf var` forgets it). Each run works
# on a copy of it (an overlay whose changes go to a temporary folder), in
# mount, PID and network namespaces of its own with loopback only: nothing can
# be fetched, and the ClickHouse it starts ends with it. Needs root (sudo when
# not).
set -euo pipefail

arg=${1:?usage: scripts/offline-check.sh dist/followrank-offline_VERSION.tar.gz | --prepare}
root=$(cd "$(dirname "$0")/.." && pwd)
base=$root/var/offline-debian12
say() { printf 'offline-check: %s\n' "$*" >&2; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$base/usr/bin/apt-get" ]; then
	. "$root/scripts/apt-install.sh"
	command -v debootstrap >/dev/null 2>&1 || apt_install offline-check debootstrap
	say "making a fresh Debian 12 in $base (once)"
	# Made aside and moved in place whole, so that an interrupted run is
	# not taken for a finished one.
	sudo_if_needed rm -rf "$base" "$base.partial"
	sudo_if_needed debootstrap bookworm "$base.partial" http://deb.debian.org/debian >/dev/null
	sudo_if_needed mv "$base.partial" "$base"
fi

[ "$arg" != --prepare ] || exit 0
bundle=$(realpath "$arg")

tmp=$(mktemp -d)
trap 'sudo_if_needed rm -rf "$tmp"' EXIT
mkdir -p "$tmp/upper" "$tmp/work" "$tmp/mnt"
cp "$bundle" "$tmp/bundle.tar.gz"
cat >"$tmp/inside.sh" <<'EOF'
set -euxo pipefail
ip link set lo up
! getent hosts deb.debian.org
mkdir -p /root/bundle && tar -xzf /bundle.tar.gz -C /root/bundle
cd /root/bundle/followrank-offline_*/
sha256sum -c --quiet SHA256SUMS
DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./clickhouse/*.deb ./followrank_*_amd64.deb
followrank version
# No systemd here: ClickHouse is started as its unit would.
su -s /bin/sh clickhouse -c 'clickhouse-server --config-file=/etc/clickhouse-server/config.xml --daemon'
for i in $(seq 60); do clickhouse-client --query 'SELECT version()' >/dev/null 2>&1 && break; sleep 1; done
cd demo
followrank demo
ls -l out
EOF
say "installing $(basename "$bundle") on Debian 12 with no network"
sudo_if_needed unshare --mount --pid --net --fork --propagation private sh -c "
	set -e
	mount -t overlay overlay -o lowerdir=$base,upperdir=$tmp/upper,workdir=$tmp/work $tmp/mnt
	mount -t proc proc $tmp/mnt/proc
	mount --rbind /dev $tmp/mnt/dev
	mount -t tmpfs tmpfs $tmp/mnt/run
	mount -t tmpfs tmpfs $tmp/mnt/tmp
	cp $tmp/bundle.tar.gz $tmp/inside.sh $tmp/mnt/
	chroot $tmp/mnt bash /inside.sh"
say "the bundle installed and ran the demo with nothing fetched"
