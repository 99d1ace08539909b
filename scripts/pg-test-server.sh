#!/usr/bin/env bash
# Start or stop a private, throw-away PostgreSQL server for the store tests.
#
#   scripts/pg-test-server.sh start DIR PORT   # prints the URL to export as WWK_TEST_PG
#   scripts/pg-test-server.sh stop  DIR PORT
#
# Trust authentication, listening on 127.0.0.1:PORT and a socket in DIR only.
# As root, PostgreSQL refuses to run: the server then runs as the 'postgres' user.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
port=${3:-54329}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR [PORT]" >&2
  exit 2
fi

bindir=${PG_BINDIR:-}
if [[ -z "$bindir" ]]; then
  for v in 17 16 15 14 13; do
    if [[ -x /usr/lib/postgresql/$v/bin/pg_ctl ]]; then bindir=/usr/lib/postgresql/$v/bin; break; fi
  done
fi
if [[ -z "$bindir" ]]; then
  bindir=$(dirname "$(command -v pg_ctl || echo /nonexistent/pg_ctl)")
fi
if [[ ! -x "$bindir/pg_ctl" ]]; then
  echo "$0: PostgreSQL server binaries not found; set PG_BINDIR" >&2
  exit 1
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres "$dir"; fi
    chmod 700 "$dir"
    if [[ ! -f "$dir/PG_VERSION" ]]; then
      log=$(mktemp)
      as_owner "$bindir/initdb" -D "$dir" -A trust -U postgres >"$log" 2>&1 \
        || { cat "$log" >&2; rm -f "$log"; exit 1; }
      rm -f "$log"
    fi
    as_owner "$bindir/pg_ctl" -D "$dir" -w -l "$dir/log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
      || { cat "$dir/log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [[ -f "$dir/postmaster.pid" ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir" -w -m fast stop >/dev/null
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
