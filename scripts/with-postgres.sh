#!/usr/bin/env bash
# Run a command with a PostgreSQL server for the tests: the machine's own at 127.0.0.1:5432 when
# it answers, else a throwaway one started from Debian's postgresql package and stopped afterwards.
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  export SIJILL_TEST_PG="${SIJILL_TEST_PG:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
  exec "$@"
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ]; then
  echo "with-postgres: no PostgreSQL server answers and none is installed;" \
       "install Debian's postgresql package" >&2
  exit 2
fi
D=$(mktemp -d)
RUN=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$D"; RUN=(runuser -u postgres --); fi
"${RUN[@]}" "$PGBIN/initdb" -D "$D/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$D/data" -l "$D/log" -w \
  -o "-p 54329 -k $D -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
trap '"${RUN[@]}" "$PGBIN/pg_ctl" -D "$D/data" -m fast -w stop >/dev/null; rm -rf "$D"' EXIT
"${RUN[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p 54329 -U postgres test
export SIJILL_TEST_PG="postgresql+psycopg://postgres@127.0.0.1:54329/test"
"$@"
