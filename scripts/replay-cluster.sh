#!/usr/bin/env bash
# Replays fixtures against three chat-server nodes sharing one PostgreSQL database, each
# fixture on a fresh database: requests go to the nodes in turn and each socket to the next
# node. Needs CHAT_TEST_POSTGRES_URL (scripts/postgres-start.sh prints it).
# Usage: scripts/replay-cluster.sh [fixtures/X.json ...] (default: every fixture).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${CHAT_TEST_POSTGRES_URL:?set it: eval \"\$(scripts/postgres-start.sh)\"}"
swift build --product chat-server >/dev/null
swift build --product chat-sim >/dev/null
bin=$(swift build --show-bin-path)
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(fixtures/*.json)
server_url=${CHAT_TEST_POSTGRES_URL%/*}
status=0
for fixture in "${files[@]}"; do
    [ "$(basename "$fixture")" = fixture.schema.json ] && continue
    database="chat_replay_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    psql -q "$CHAT_TEST_POSTGRES_URL" -c "CREATE DATABASE $database"
    pids=()
    servers=()
    for port in 8781 8782 8783; do
        # No send limit, as in-process: fixtures post many messages at once (`post` with `repeat`).
        "$bin/chat-server" --db "$server_url/$database" --port "$port" --bcrypt-cost 4 --send-rate 1000000 --send-burst 1000000 \
            --log-level warning &
        pids+=($!)
        servers+=(--server "http://127.0.0.1:$port")
    done
    for port in 8781 8782 8783; do
        for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    done
    "$bin/chat-sim" replay "${servers[@]}" "$fixture" || status=1
    for pid in "${pids[@]}"; do kill -TERM "$pid"; done
    for pid in "${pids[@]}"; do wait "$pid" || status=1; done
    psql -q "$CHAT_TEST_POSTGRES_URL" -c "DROP DATABASE $database WITH (FORCE)"
done
exit $status
