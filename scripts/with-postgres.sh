#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server: initialises a cluster in a
# temporary directory, starts it on a free loopback port, exports DATABASE_URL,
# runs the command, then stops the server and removes the directory (also on
# failure). Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -eu
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
workdir=$(mktemp -d /tmp/portal-pg.XXXXXX)
chmod 755 "$workdir"
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb and pg_ctl refuse to run as root.
  chown postgres:postgres "$workdir"
  as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM
"${as_owner[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/portal"
"${as_owner[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres portal
set +e
"$@"
status=$?
set -e
exit $status
