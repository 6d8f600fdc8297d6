#!/usr/bin/env bash
# Stops a PostgreSQL that scripts/postgres-start.sh started, and removes its directory.
#   scripts/postgres-stop.sh "$CHAT_TEST_POSTGRES_DIR"
set -euo pipefail
dir=${1:?usage: postgres-stop.sh DIRECTORY (as postgres-start.sh exported it)}
[ -f "$dir/owner" ] || { echo "$dir was not started by postgres-start.sh" >&2; exit 1; }
owner=$(cat "$dir/owner")
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
    runuser -u "$owner" -- "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >&2 || true
else
    "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >&2 || true
fi
rm -rf "$dir"
