#!/usr/bin/env bash
# Start, stop or check the ClickHouse server that followrank's make targets use.
#
#   scripts/clickhouse.sh start   use the server at FOLLOWRANK_CLICKHOUSE_DSN (default
#                                 127.0.0.1:9000) if it answers; otherwise install
#                                 Debian's clickhouse-server if missing and start a
#                                 private one on loopback with its data under ./var/
#   scripts/clickhouse.sh stop    stop the private server, if this script started one
#   scripts/clickhouse.sh status  say whether a server answers
#
# The private server listens on 127.0.0.1 only; its data, logs and pid file live in
# var/clickhouse/ so that `rm -rf var` resets it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# CLICKHOUSE_DIR moves the private server's files, so that tests can run a
# server of their own beside the usual one.
var=${CLICKHOUSE_DIR:-"$root/var/clickhouse"}
dsn=${FOLLOWRANK_CLICKHOUSE_DSN:-clickhouse://127.0.0.1:9000/followrank}

# host and port from clickhouse://[user[:pass]@]host:port/db?...
hostport=${dsn#*://}
hostport=${hostport#*@}
hostport=${hostport%%/*}
hostport=${hostport%%\?*}
host=${hostport%:*}
port=${hostport##*:}
[ "$port" = "$hostport" ] && port=9000
[ -n "$host" ] || host=127.0.0.1

say() { printf 'clickhouse: %s\n' "$*" >&2; }

answers() {
	if command -v clickhouse-client >/dev/null 2>&1; then
		clickhouse-client --host "$host" --port "$port" --query 'SELECT 1' >/dev/null 2>&1
	else
		(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
	fi
}

sudo_if_needed() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_server() {
	if { command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ]; } &&
		command -v clickhouse-client >/dev/null 2>&1; then
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		say "clickhouse-server is not installed and this is not a Debian/Ubuntu machine."
		say "Install ClickHouse (https://clickhouse.com/docs/install) or point FOLLOWRANK_CLICKHOUSE_DSN at a running server."
		exit 1
	fi
	say "installing clickhouse-server and clickhouse-client with apt-get (once)"
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
	# The package's postinst may try to start the system service; we run our own.
	sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clickhouse-server clickhouse-client >/dev/null
}

server_bin() {
	if command -v clickhouse-server >/dev/null 2>&1; then command -v clickhouse-server
	elif [ -x /usr/sbin/clickhouse-server ]; then echo /usr/sbin/clickhouse-server
	elif command -v clickhouse >/dev/null 2>&1; then echo "$(command -v clickhouse) server"
	else say "no clickhouse-server binary found after install"; exit 1
	fi
}

write_config() {
	mkdir -p "$var/data" "$var/tmp" "$var/user_files" "$var/log" "$var/format_schemas"
	cat >"$var/config.xml" <<XML
<?xml version="1.0"?>
<!-- Written by scripts/clickhouse.sh: a private, loopback-only server for followrank. -->
<yandex>
    <logger>
        <level>warning</level>
        <log>$var/log/clickhouse-server.log</log>
        <errorlog>$var/log/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>2</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$port</tcp_port>
    <http_port>$((port + 123))</http_port>
    <interserver_http_port>$((port + 9))</interserver_http_port>
    <max_connections>256</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <path>$var/data/</path>
    <tmp_path>$var/tmp/</tmp_path>
    <user_files_path>$var/user_files/</user_files_path>
    <format_schema_path>$var/format_schemas/</format_schema_path>
    <users_config>$var/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
</yandex>
XML
	cat >"$var/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <load_balancing>random</load_balancing>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
XML
}

start() {
	if answers; then
		say "a server answers on $host:$port; using it"
		return 0
	fi
	case "$host" in
	127.0.0.1 | localhost | ::1) ;;
	*)
		say "no server answers on $host:$port, and it is not a local address this script can start"
		exit 1
		;;
	esac
	install_server
	# apt's postinst may have started the system service meanwhile.
	if answers; then
		say "a server answers on $host:$port; using it"
		return 0
	fi
	write_config
	say "starting a private server on $host:$port (data in ${var#"$root"/})"
	# shellcheck disable=SC2046
	nohup $(server_bin) --config-file="$var/config.xml" >"$var/log/stdout.log" 2>&1 &
	echo $! >"$var/pid"
	for _ in $(seq 1 120); do
		if answers; then
			say "ready"
			return 0
		fi
		if ! kill -0 "$(cat "$var/pid")" 2>/dev/null; then
			say "the server exited while starting; its log:"
			tail -n 20 "$var/log/clickhouse-server.err.log" "$var/log/stdout.log" >&2 2>/dev/null || true
			exit 1
		fi
		sleep 0.5
	done
	say "the server did not answer within 60 s; see $var/log/"
	exit 1
}

stop() {
	if [ -f "$var/pid" ] && kill -0 "$(cat "$var/pid")" 2>/dev/null; then
		pid=$(cat "$var/pid")
		kill "$pid"
		for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
		kill -9 "$pid" 2>/dev/null || true
		say "stopped the private server (pid $pid)"
	else
		say "no private server is running"
	fi
	rm -f "$var/pid"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) if answers; then say "answers on $host:$port"; else say "nothing answers on $host:$port"; exit 1; fi ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
