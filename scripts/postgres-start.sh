#!/usr/bin/env bash
# Starts a private PostgreSQL for tests and benchmarks: Debian's `postgresql` (installed when
# missing), a new cluster in a temporary directory, listening on 127.0.0.1 on a free port, run
# as a non-root user (PostgreSQL refuses root). Logs go to stderr; stdout gets shell lines to
# eval:
#   eval "$(scripts/postgres-start.sh)"   # exports CHAT_TEST_POSTGRES_URL and CHAT_TEST_POSTGRES_DIR
#   scripts/postgres-stop.sh "$CHAT_TEST_POSTGRES_DIR"
# The role `chat` owns the cluster and logs in without a password, from loopback only.
set -euo pipefail

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
    echo "installing Debian's postgresql" >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
bin=$(bindir)

# Run the server as ourselves, or as an unprivileged user when we are root.
if [ "$(id -u)" = 0 ]; then
    owner=postgres
    id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
    as_owner() { runuser -u "$owner" -- "$@"; }
else
    owner=$(id -un)
    as_owner() { "$@"; }
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/chat-postgres.XXXXXX")
chmod 755 "$dir"
chown "$owner" "$dir"
echo "$owner" >"$dir/owner"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_owner "$bin/initdb" --pgdata="$dir/data" --username=chat --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
}
as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" start >&2 || {
    cat "$dir/server.log" >&2
    exit 1
}
url="postgres://chat@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $url (data in $dir)" >&2
echo "export CHAT_TEST_POSTGRES_URL=$url"
echo "export CHAT_TEST_POSTGRES_DIR=$dir"
