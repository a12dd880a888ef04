#!/usr/bin/env bash
# Runs a command with a throw-away Redis (Debian's redis-server) on a free
# loopback port, no persistence, and CACHE_URL pointing at it; stops it after
# (also on failure). Usage: scripts/with-redis.sh COMMAND [ARGS...]
set -eu
command -v redis-server >/dev/null || { echo "Redis is not installed (apt-get install redis-server)" >&2; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
workdir=$(mktemp -d /tmp/portal-redis.XXXXXX)
redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
  --dir "$workdir" --daemonize yes --pidfile "$workdir/redis.pid" \
  --logfile "$workdir/redis.log" >/dev/null
cleanup() {
  [ -f "$workdir/redis.pid" ] && kill "$(cat "$workdir/redis.pid")" 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM
for _ in $(seq 50); do
  redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$port"
export CACHE_URL="redis://127.0.0.1:$port/0"
set +e
"$@"
status=$?
set -e
exit $status
