#!/usr/bin/env bash
# Runs the Autobahn TestSuite's WebSocket server cases that need no echo against a running
# chat-server, with kosoku (PyPI; it drives Autobahn's own case files from Python 3).
#
#   scripts/autobahn.sh [BASE_URL]
#
# BASE_URL defaults to http://127.0.0.1:8000. The caller starts the server, preferably fresh
# (`--db :memory:`), with a cheap bcrypt cost and a send rate that does not get in the way, e.g.
#   chat-server --db :memory: --port 8790 --bcrypt-cost 4 --send-rate 1000000 --send-burst 1000000
# The script registers (or reuses) the user `autobahn`, logs in, and points each case at the public
# room socket ws://HOST:PORT/ws/chat/autobahn-<worker>/?token=<token> (kosoku cannot send headers,
# so the token rides in the query). Each worker has a room of its own, so no case sees another's
# traffic.
#
# Which cases: the server answers text frames with JSON chat frames, never with an echo, so a case
# whose verdict rests on getting its own message back means nothing here. kosoku has no notion of
# echo; the script decides from the case files themselves (Autobahn's `Case` classes, as kosoku
# vendors them): every case of the suite is instantiated against a dry-run protocol object and
# its `onOpen` is called, which fills in `expected` (verdict -> list of events the case must see).
# A case needs an echo when any of those event lists holds a ("message", ...) event, or when its
# class overrides `onMessage` (the 9.x performance cases, 10.1.1 and the 12.x/13.x compression
# cases count echoed messages there). What is left are the cases that expect only pongs, timeouts
# or nothing before the close: with kosoku 0.1.0, 140 of the suite's 517 cases, all in groups 2-7
# (2.* 11, 3.* 4, 4.* 4, 5.* 11, 6.* 75, 7.* 35; none of 1.*, and 9.7/9.8 count echoes). Cases
# that expect a message under OK and nothing under NON-STRICT (3.2-3.4, 4.1.3-4.1.5, 4.2.3-4.2.5,
# 5.15) are out too: without an echo NON-STRICT is the best they could show; 7.1.6 (always
# INFORMATIONAL, whatever happens) goes with them.
# Mind that for these cases any data frame the server sends is an event the case did not expect:
# an error frame sent before the close fails the case ("Actual events differ from any expected").
#
# Verdicts: a case counts as passed when both its kosoku `behavior` (the message exchange) and its
# `behaviorClose` (the closing handshake) are OK or INFORMATIONAL. NON-STRICT, FAILED,
# UNIMPLEMENTED, ERROR (no verdict: the handshake or the case code failed), a close verdict of
# WRONG CODE, UNCLEAN, FAILED BY CLIENT or FAILED, and a case that hangs past its timeout all count
# as failures. Prints a tally per case group, `autobahn: N of M cases OK or INFORMATIONAL`, and each
# case that did not pass with its verdicts and description.
#
# Exits 1 when a case fails that scripts/autobahn-expected.txt does not list, 2 on a setup error
# (server unreachable, login failed, a malformed or unknown entry in the expected file), else 0.
# That file lists one case id a line, each followed by `# reason`; blank lines and lines starting
# with `#` are ignored. A listed case that passes is reported (remove it from the file) but does
# not fail the run.
#
# Environment: AUTOBAHN_PARALLELISM (default 4) cases at once; AUTOBAHN_CASE_TIMEOUT (default 30)
# seconds before a case counts as hung (kosoku has no closing-handshake timeout of its own);
# AUTOBAHN_CASES, case ids or `*` globs separated by spaces, narrows the selection (e.g.
# AUTOBAHN_CASES='5.* 7.1.*'); AUTOBAHN_REPORT_DIR, when set, receives kosoku's HTML and JSON
# reports (wire logs per case); AUTOBAHN_EXPECTED overrides the expected-failures file;
# AUTOBAHN_VENV (default .build/autobahn-venv, gitignored) is the virtualenv, created with
# AUTOBAHN_PYTHON (default python3) when missing or holding another kosoku version.
set -euo pipefail

KOSOKU_VERSION=0.1.0
BASE=${1:-http://127.0.0.1:8000}
BASE=${BASE%/}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${AUTOBAHN_VENV:-$ROOT/.build/autobahn-venv}
AUTOBAHN_PYTHON=${AUTOBAHN_PYTHON:-python3}
EXPECTED=${AUTOBAHN_EXPECTED:-$ROOT/scripts/autobahn-expected.txt}

if [[ ! -x "$VENV/bin/python" ]] || [[ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("kosoku"))' 2>/dev/null)" != "$KOSOKU_VERSION" ]]; then
    echo "autobahn.sh: installing kosoku $KOSOKU_VERSION into $VENV" >&2
    "$AUTOBAHN_PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "kosoku==$KOSOKU_VERSION"
fi

exec "$VENV/bin/python" - "$BASE" "$EXPECTED" "${AUTOBAHN_EXPECTED:-scripts/autobahn-expected.txt}" <<'PYTHON'
import asyncio
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib.metadata import version

from kosoku import FailureError, run_fuzzingclient
from kosoku.cases import CASES  # also puts the vendored case files on sys.path
from autobahn.websocket.protocol import WebSocketProtocol
from case import Case

base, expected_path, expected_name = sys.argv[1], sys.argv[2], sys.argv[3]
parallelism = max(1, int(os.environ.get("AUTOBAHN_PARALLELISM", "4")))
case_timeout = float(os.environ.get("AUTOBAHN_CASE_TIMEOUT", "30"))
narrowing = os.environ.get("AUTOBAHN_CASES", "").split()
report_dir = os.environ.get("AUTOBAHN_REPORT_DIR", "")
PASSING = {"OK", "INFORMATIONAL"}


def fail_setup(message):
    print(f"autobahn.sh: {message}", file=sys.stderr)
    sys.exit(2)


# --- Which cases need no echo ------------------------------------------------------------------

class _DryRunFactory:
    isServer = False


class _DryRunProtocol(WebSocketProtocol):
    """Stands in for kosoku's `self.p` while a case's onOpen only declares what it expects:
    every send, timer and setting is a no-op."""
    state = WebSocketProtocol.STATE_OPEN
    factory = _DryRunFactory()

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def needs_echo(case_class):
    if case_class.onMessage is not Case.onMessage:
        return True
    case = case_class(_DryRunProtocol())
    case.onOpen()
    return any(event[0] == "message" for events in case.expected.values() for event in events)


def glob_matches(pattern, case_id):
    # kosoku's own rule: `.` literal, `*` any run, anchored at the start.
    if "*" not in pattern:
        return pattern == case_id
    return re.match("^" + pattern.replace(".", r"\.").replace("*", ".*"), case_id) is not None


no_echo = [case_id for case_id, case_class in CASES.items() if not needs_echo(case_class)]
selected = no_echo
if narrowing:
    selected = [c for c in no_echo if any(glob_matches(p, c) for p in narrowing)]
    if not selected:
        fail_setup(f"AUTOBAHN_CASES={' '.join(narrowing)!r} matches none of the {len(no_echo)} no-echo cases")


# --- Expected failures -------------------------------------------------------------------------

expected = {}
try:
    with open(expected_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
except FileNotFoundError:
    lines = []
for number, line in enumerate(lines, 1):
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        continue
    match = re.fullmatch(r"(\d+(?:\.\d+)+)\s*#\s*(\S.*)", stripped)
    if not match:
        fail_setup(f"{expected_name}:{number}: expected `<case id>  # <reason>`, got {line!r}")
    case_id, reason = match.groups()
    if case_id not in CASES:
        fail_setup(f"{expected_name}:{number}: no such Autobahn case: {case_id}")
    if case_id not in no_echo:
        fail_setup(f"{expected_name}:{number}: case {case_id} needs an echo and is never run")
    expected[case_id] = reason


# --- A user and a token --------------------------------------------------------------------------

def call(path, body):
    request = urllib.request.Request(base + path, method="POST", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw or b"null")
        except ValueError:
            return error.code, raw.decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        fail_setup(f"cannot reach {base}: {error}")


url = urllib.parse.urlsplit(base)
if url.scheme != "http" or not url.hostname:
    fail_setup(f"BASE_URL must be http://HOST:PORT (kosoku speaks plain TCP), got {base!r}")
credentials = {"username": "autobahn", "password": "autobahn-pass"}
status, body = call("/api/register", credentials)
if status not in (201, 409):  # 409: registered by an earlier run against the same server
    fail_setup(f"register autobahn: expected 201 or 409, got {status} {body}")
status, body = call("/api/login", credentials)
if status != 200 or not isinstance(body, dict) or "token" not in body:
    fail_setup(f"login autobahn: expected 200 with a token, got {status} {body}")
token = urllib.parse.quote(body["token"], safe="")
netloc = url.netloc.rsplit("@", 1)[-1]


def socket_url(worker):
    return f"ws://{netloc}/ws/chat/autobahn-{worker}/?token={token}"


# --- The run -------------------------------------------------------------------------------------

print(f"autobahn: {len(selected)} of the suite's {len(CASES)} cases (those that need no echo"
      f"{', narrowed by AUTOBAHN_CASES' if narrowing else ''}) against ws://{netloc}/ws/chat/autobahn-N/,"
      f" {parallelism} at a time, kosoku {version('kosoku')}",
      flush=True)

results = {}   # case id -> CaseResult, or a str for a case that hung
queue = list(selected)


async def worker(number):
    while queue:
        case_id = queue.pop(0)
        try:
            found = await asyncio.wait_for(run_fuzzingclient(socket_url(number), [case_id]), case_timeout)
        except FailureError as failure:
            found = failure.results
        except asyncio.TimeoutError:
            results[case_id] = f"no verdict within {case_timeout:g} s (AUTOBAHN_CASE_TIMEOUT)"
            continue
        for result in found:
            results[result.case_id] = result


async def run_all():
    await asyncio.gather(*(worker(n) for n in range(1, min(parallelism, len(selected)) + 1)))


started = time.monotonic()
asyncio.run(run_all())
elapsed = time.monotonic() - started


# --- Verdicts ------------------------------------------------------------------------------------

def verdict(case_id):
    result = results.get(case_id)
    if result is None:
        return "ERROR", "ERROR", "no result"
    if isinstance(result, str):
        return "TIMEOUT", "-", result
    return result.behavior.value, result.behavior_close.value, None


def passed(case_id):
    behavior, behavior_close, _ = verdict(case_id)
    return behavior in PASSING and behavior_close in PASSING


def plain(text, limit):
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def event_text(event):
    kind, payload = event[0], (event[1] if len(event) > 1 else "")
    if isinstance(payload, (bytes, bytearray)):
        payload = payload.decode("utf-8", "replace")
    return f"{kind} {plain(str(payload), 60)!r}" if kind != "timeout" else f"timeout {payload}"


def detail(case_id):
    behavior, behavior_close, note = verdict(case_id)
    if note is not None:
        return note
    result = results[case_id]
    if behavior == "ERROR":
        return plain(result.result, 160)
    events = list(result.received)
    if events:
        shown = ", ".join(event_text(e) for e in events[:3]) + (f", ... ({len(events)} in all)" if len(events) > 3 else "")
        parts = [f"received {shown}"]
    else:
        parts = ["received nothing"]
    if result.remote_close_code is not None:
        parts.append(f"server closed with {result.remote_close_code}")
    else:
        parts.append("server sent no close code")
    if behavior_close not in PASSING:
        parts.append(plain(result.result_close, 80))
    return "; ".join(parts)


def description(case_id):
    result = results.get(case_id)
    if result is None or isinstance(result, str):
        return plain(CASES[case_id].DESCRIPTION, 110)
    return plain(result.description, 110)


def group_of(case_id):
    return case_id.split(".")[0]


groups = {}
for case_id in selected:
    groups.setdefault(group_of(case_id), []).append(case_id)
for group, ids in groups.items():
    ok = sum(passed(c) for c in ids)
    print(f"autobahn: {group}.*: {ok} of {len(ids)}")

failing = [c for c in selected if not passed(c)]
unexpected = [c for c in failing if c not in expected]
listed = [c for c in failing if c in expected]
now_passing = [c for c in expected if c in selected and passed(c)]


def show(ids, heading):
    if not ids:
        return
    print(heading)
    width = max(len(c) for c in ids)
    for case_id in ids:
        behavior, behavior_close, _ = verdict(case_id)
        print(f"  {case_id:<{width}}  {behavior} (close {behavior_close})  {description(case_id)}")
        print(f"  {'':<{width}}    {detail(case_id)}")
        if case_id in expected:
            print(f"  {'':<{width}}    expected: {expected[case_id]}")


show(unexpected, f"autobahn: failing cases not listed in {expected_name}:")
show(listed, f"autobahn: failing cases listed in {expected_name}:")
for case_id in now_passing:
    print(f"autobahn: {case_id} passes but is listed in {expected_name}: remove it")

if report_dir:
    from kosoku._report import write_reports
    write_reports([r for c in selected if not isinstance(r := results.get(c), (str, type(None)))], report_dir)
    print(f"autobahn: kosoku's reports are in {report_dir}/")

total_ok = len(selected) - len(failing)
print(f"autobahn: {total_ok} of {len(selected)} cases OK or INFORMATIONAL"
      f" ({len(listed)} failing as listed, {len(unexpected)} failing unexpectedly) in {elapsed:.0f} s",
      flush=True)
sys.stderr.flush()
# A case abandoned at its timeout leaves kosoku's task running on its own runtime; do not wait for it.
os._exit(1 if unexpected else 0)
PYTHON
