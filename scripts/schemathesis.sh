#!/usr/bin/env bash
# Checks a running chat-server against its own OpenAPI document with Schemathesis.
#
#   scripts/schemathesis.sh [BASE_URL] [SPEC]
#
# BASE_URL defaults to http://127.0.0.1:8000. SPEC is a path or URL of the OpenAPI document and defaults
# to "$BASE_URL/api/openapi.json" (what the server serves). The caller starts the server, preferably
# fresh (`--db :memory:`), with a cheap bcrypt cost and a send rate high enough for a fuzzer, e.g.
#   chat-server --db :memory: --port 8765 --bcrypt-cost 4 --send-rate 100000 --send-burst 100000
# Exits non-zero on any 5xx, any response the document does not describe, and any other failed check.
#
# Environment: ST_MAX_EXAMPLES (default 50) bounds the test cases per operation and phase;
# ST_SEED fixes Hypothesis' seed; ST_VENV (default .build/schemathesis-venv, gitignored) is the
# virtualenv, created with ST_PYTHON (default python3) when missing or holding another version.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5
BASE=${1:-http://127.0.0.1:8000}
BASE=${BASE%/}
SPEC=${2:-$BASE/api/openapi.json}
MAX_EXAMPLES=${ST_MAX_EXAMPLES:-50}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${ST_VENV:-$ROOT/.build/schemathesis-venv}
ST_PYTHON=${ST_PYTHON:-python3}

if [[ ! -x "$VENV/bin/st" ]] || [[ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" != "$SCHEMATHESIS_VERSION" ]]; then
    echo "schemathesis.sh: installing schemathesis $SCHEMATHESIS_VERSION into $VENV" >&2
    "$ST_PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
ST="$VENV/bin/st"
PY="$VENV/bin/python"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The document: fetched from the server unless SPEC is a local file.
if [[ -f "$SPEC" ]]; then
    cp "$SPEC" "$WORK/openapi.json"
else
    curl -fsS "$SPEC" -o "$WORK/openapi.json"
fi

# A user with a token for the run; on a fresh server, group room 1 (the document's example `room_id`,
# owned by that user, with a second user as a plain member) and public room 2 with a message; and a
# second token for logout alone (logout revokes the token it is called with).
"$PY" - "$BASE" "$WORK" <<'PYTHON'
import json, os, sys, urllib.error, urllib.request

base, work = sys.argv[1], sys.argv[2]
suffix = os.urandom(4).hex()

def call(method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")

def expect(status, wanted, what, body):
    if status != wanted:
        sys.exit(f"schemathesis.sh: {what}: expected {wanted}, got {status} {body}")

user, other, password = "st_" + suffix, "st_other_" + suffix, "schemathesis-password"
for name in (user, other):
    status, body = call("POST", "/api/register", {"username": name, "password": password})
    expect(status, 201, "register " + name, body)
tokens = []
for _ in range(2):
    status, body = call("POST", "/api/login", {"username": user, "password": password})
    expect(status, 200, "login", body)
    tokens.append(body["token"])
status, group = call("POST", "/api/rooms", {"name": "st-group-" + suffix, "kind": "group"}, tokens[0])
expect(status, 201, "create group room", group)
status, body = call("POST", f"/api/rooms/{group['id']}/members", {"username": other}, tokens[0])
expect(status, 201, "add a member", body)
status, public = call("POST", "/api/rooms", {"name": "st-public-" + suffix}, tokens[0])
expect(status, 201, "create public room", public)
status, body = call("POST", "/api/messages", {"room_id": public["id"], "message": "hello"}, tokens[0])
expect(status, 201, "send a message", body)
print(f"schemathesis.sh: user {user}, group room {group['id']}, public room {public['id']}", file=sys.stderr)
with open(os.path.join(work, "token"), "w") as f:
    f.write(tokens[0])
with open(os.path.join(work, "logout-token"), "w") as f:
    f.write(tokens[1])
PYTHON
TOKEN=$(cat "$WORK/token")
LOGOUT_TOKEN=$(cat "$WORK/logout-token")

# Schemathesis' configuration. Checks left out or widened, and why:
# - unsupported_method, allow_header_conformance (left out): the router answers a method that a path
#   does not have with 404 `{"error":"Not Found"}` (the contract's "unknown"), not 405 with `Allow`.
# - positive_data_acceptance (400 allowed) where the contract answers a schema-valid request with 400
#   because of the server's state or of a rule across parameters, which JSON Schema cannot express:
#   member changes in a public or private room ("Public rooms have no members", "Private rooms have
#   exactly two members"), unknown usernames in `members` ("Unknown user: x"), `before` together
#   with `after` ("before and after cannot be combined"), a read marker past the room's last seq
#   ("seq must be between 0 and N, the room's last seq") and a private room with oneself ("You
#   cannot chat with yourself"); and 410 for an edit or a deletion of a message already deleted
#   ("This message was deleted").
# - negative_data_rejection (200 allowed) on POST /api/messages: a retry with a `client_msg_id` the
#   caller already used returns the stored message with 200 without looking at the rest of the body
#   (the contract's idempotent retry), so a schema-violating retry is not a 400. A new message is a
#   201, which stays a failure for invalid data.
# - Integer body fields are never sent as whole floats (`1.0`): JSON Schema 2020-12 counts `1.0` as an
#   integer, but the server's strict decoder wants integers written without fraction or exponent
#   ("Field 'room_id' must be an integer"), as the document's description says. A hook rewrites them.
# Logout revokes the token it is called with, so it gets a token of its own; after its first
# success it must answer 401.
cat > "$WORK/schemathesis.toml" <<'TOML'
headers = { Authorization = "Bearer ${ST_TOKEN}" }

[[operations]]
include-operation-id = "logout"
headers = { Authorization = "Bearer ${ST_LOGOUT_TOKEN}" }

[[operations]]
include-operation-id-regex = "^(addMember|removeMember|changeRole|createRoomWithMembers|roomHistory|markRead|openPrivateRoom)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]

[[operations]]
include-operation-id-regex = "^(editMessage|deleteMessage)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]

[[operations]]
include-operation-id = "sendMessage"
checks.negative_data_rejection.expected-statuses = ["200", "400", "401", "403", "404", "405", "406", "409", "415", "422", "428", "429", "5xx"]
TOML

cat > "$WORK/chat_schemathesis_hooks.py" <<'HOOKS'
import schemathesis


def _whole_floats_as_integers(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_floats_as_integers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_floats_as_integers(item) for item in value]
    return value


@schemathesis.hook
def map_body(context, body):
    return _whole_floats_as_integers(body)
HOOKS

ARGS=(
    --url "$BASE"
    --phases examples,coverage,fuzzing
    --mode all
    --checks all
    --exclude-checks unsupported_method,allow_header_conformance
    --max-examples "$MAX_EXAMPLES"
    # Strings are generated in ASCII: the server counts characters as Swift does (grapheme clusters)
    # and JSON Schema counts code points, which agree on ASCII only.
    --generation-codec ascii
    --generation-allow-x00 false
    --generation-database none
    # One worker: with several, Hypothesis parses lambdas (`ast.parse`) in parallel threads, which
    # trips CPython 3.11's "AST constructor recursion depth mismatch" SystemError (gh-106905).
    --workers 1
    --request-timeout 30
    --no-color
)
if [[ -n "${ST_SEED:-}" ]]; then ARGS+=(--seed "$ST_SEED"); fi

ST_TOKEN=$TOKEN ST_LOGOUT_TOKEN=$LOGOUT_TOKEN PYTHONPATH="$WORK" SCHEMATHESIS_HOOKS=chat_schemathesis_hooks \
    "$ST" --config-file "$WORK/schemathesis.toml" run "$WORK/openapi.json" "${ARGS[@]}"
