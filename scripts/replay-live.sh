#!/usr/bin/env bash
# Replays fixtures against a live chat-server, each on a fresh in-memory server (fixtures
# register their own users). Usage: scripts/replay-live.sh [fixtures/X.json ...]
# (default: every fixture). Fails when a fixture fails.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product chat-server >/dev/null
swift build --product chat-sim >/dev/null
bin=$(swift build --show-bin-path)
port=${REPLAY_PORT:-8771}
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(fixtures/*.json)
status=0
for fixture in "${files[@]}"; do
    [ "$(basename "$fixture")" = fixture.schema.json ] && continue
    # No send limit, as in-process: fixtures post many messages at once (`post` with `repeat`).
    "$bin/chat-server" --db :memory: --port "$port" --bcrypt-cost 4 --send-rate 1000000 --send-burst 1000000 --log-level warning &
    server=$!
    for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    "$bin/chat-sim" replay --server "http://127.0.0.1:$port" "$fixture" || status=1
    kill -TERM "$server"
    wait "$server" || status=1
done
exit $status
