#!/usr/bin/env bash
# A local ClickHouse test cluster on loopback: ZooKeeper (Debian's package)
# and four ClickHouse servers, two shards of two replicas each, named
# followrank_test in every server's remote_servers, with {shard} and
# {replica} macros, replicas numbered per shard as most clusters number
# them (shard 1: r1, r2; shard 2: r1, r2), so that a replica's name alone
# does not tell servers apart. Its files live in var/cluster/.
#
#   scripts/cluster.sh start    install what is missing, start, wait until all answer
#   scripts/cluster.sh stop     stop everything this script started
#   scripts/cluster.sh kill N   kill ClickHouse server N (1-4) the hard way
#   scripts/cluster.sh revive N start server N again
#
# Servers: 127.0.0.1:19101 (shard 1, replica 1), :19102 (shard 1, replica 2),
# :19103 (shard 2, replica 1), :19104 (shard 2, replica 2). ZooKeeper: :12181.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
var=${CLUSTER_DIR:-"$root/var/cluster"}
zkport=12181
say() { printf 'cluster: %s\n' "$*" >&2; }
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install() {
	local missing=()
	[ -x /usr/share/zookeeper/bin/zkServer.sh ] || missing+=(zookeeper)
	command -v clickhouse-client >/dev/null 2>&1 && { command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ]; } || missing+=(clickhouse-server clickhouse-client)
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]} with apt-get (once)"
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

server_bin() { command -v clickhouse-server 2>/dev/null || echo /usr/sbin/clickhouse-server; }

answers() { clickhouse-client --host 127.0.0.1 --port "$1" --query 'SELECT 1' >/dev/null 2>&1; }

zk_ok() { # ZooKeeper answers "ruok" with "imok"
	local reply=""
	{ exec 3<>"/dev/tcp/127.0.0.1/$zkport"; } 2>/dev/null || return 1
	printf ruok >&3
	read -r -t 2 -n 4 reply <&3 || true
	exec 3>&-
	[ "$reply" = imok ]
}

start_zookeeper() {
	if zk_ok; then return 0; fi
	mkdir -p "$var/zk/data" "$var/zk/log"
	cat >"$var/zk/zoo.cfg" <<CFG
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$var/zk/data
clientPort=$zkport
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=ruok
CFG
	say "starting ZooKeeper on 127.0.0.1:$zkport"
	# zookeeper.jar's manifest names the rest of its class path.
	nohup java -Xmx256m -Dzookeeper.log.dir="$var/zk/log" -Dzookeeper.root.logger=WARN,CONSOLE \
		-cp "/etc/zookeeper/conf:/usr/share/java/zookeeper.jar" \
		org.apache.zookeeper.server.quorum.QuorumPeerMain "$var/zk/zoo.cfg" >"$var/zk/log/stdout.log" 2>&1 &
	echo $! >"$var/zk/pid"
	# An open port is not yet a server: ClickHouse gives up on replicated
	# tables whose ZooKeeper loses the first session, so wait for "imok".
	for _ in $(seq 1 120); do
		zk_ok && return 0
		sleep 0.5
	done
	say "ZooKeeper did not start; see $var/zk/log/stdout.log"
	tail -20 "$var/zk/log/stdout.log" >&2 || true
	exit 1
}

node_conf() { # N shard replica port
	local n=$1 shard=$2 replica=$3 port=$4 dir="$var/ch$1"
	mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/user_files" "$dir/format_schemas"
	cat >"$dir/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <logger><level>warning</level><log>$dir/log/server.log</log><errorlog>$dir/log/error.log</errorlog><size>50M</size><count>2</count></logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$port</tcp_port>
    <http_port>$((port + 100))</http_port>
    <interserver_http_port>$((port + 200))</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>134217728</uncompressed_cache_size>
    <mark_cache_size>134217728</mark_cache_size>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <format_schema_path>$dir/format_schemas/</format_schema_path>
    <users_config>$var/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <zookeeper><node><host>127.0.0.1</host><port>$zkport</port></node></zookeeper>
    <macros><shard>$shard</shard><replica>r$replica</replica></macros>
    <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
    <remote_servers>
        <followrank_test>
            <shard><internal_replication>true</internal_replication>
                <replica><host>127.0.0.1</host><port>19101</port></replica>
                <replica><host>127.0.0.1</host><port>19102</port></replica>
            </shard>
            <shard><internal_replication>true</internal_replication>
                <replica><host>127.0.0.1</host><port>19103</port></replica>
                <replica><host>127.0.0.1</host><port>19104</port></replica>
            </shard>
        </followrank_test>
    </remote_servers>
</yandex>
XML
}

users_conf() {
	cat >"$var/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
    <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
    <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
XML
}

start_node() { # N
	local n=$1 port=$((19100 + $1)) dir="$var/ch$1"
	answers "$port" && return 0
	# shellcheck disable=SC2046
	nohup $(server_bin) --config-file="$dir/config.xml" >"$dir/log/stdout.log" 2>&1 &
	echo $! >"$dir/pid"
}

wait_node() {
	local port=$((19100 + $1)) tries=0
	for _ in $(seq 1 120); do
		answers "$port" && return 0
		# 18.16 exits when ZooKeeper drops its first session while it loads
		# replicated tables, as a ZooKeeper just started sometimes does:
		# start it again, twice at most.
		if [ -f "$var/ch$1/pid" ] && ! kill -0 "$(cat "$var/ch$1/pid")" 2>/dev/null && [ "$tries" -lt 2 ]; then
			tries=$((tries + 1))
			say "server $1 exited while starting; starting it again"
			start_node "$1"
		fi
		sleep 0.5
	done
	say "server $1 (port $port) did not answer; see $var/ch$1/log/"
	exit 1
}

start() {
	install
	mkdir -p "$var"
	users_conf
	start_zookeeper
	node_conf 1 1 1 19101
	node_conf 2 1 2 19102
	node_conf 3 2 1 19103
	node_conf 4 2 2 19104
	for n in 1 2 3 4; do start_node $n; done
	for n in 1 2 3 4; do wait_node $n; done
	say "ready: 2 shards x 2 replicas on 127.0.0.1:19101-19104, cluster followrank_test"
}

kill_pidfile() {
	[ -f "$1" ] || return 0
	local pid; pid=$(cat "$1")
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$1"
}

stop() {
	for n in 1 2 3 4; do kill_pidfile "$var/ch$n/pid"; done
	kill_pidfile "$var/zk/pid"
	say "stopped"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
kill) kill -9 "$(cat "$var/ch$2/pid")"; rm -f "$var/ch$2/pid"; say "killed server $2" ;;
revive) start_node "$2"; wait_node "$2"; say "server $2 is back" ;;
*) echo "usage: $0 start|stop|kill N|revive N" >&2; exit 2 ;;
esac
