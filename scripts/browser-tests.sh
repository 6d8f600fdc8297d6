#!/usr/bin/env bash
# Runs the web client's browser tests (Tests/browser) against a built chat-server:
#
#     scripts/browser-tests.sh .build/debug/chat-server [pytest arguments…]
#
# Needs Chromium and chromedriver (/usr/bin/chromium, /usr/bin/chromedriver; Debian's
# `chromium` and `chromium-driver` packages). Installs Selenium and pytest into
# .build/browser-venv on first use. The tests start and stop their own servers, on free ports,
# with a database in a temporary folder; screenshots land in .build/browser-tests/.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 SERVER_BINARY [pytest arguments…]" >&2
    exit 2
fi
server=$(realpath "$1")
shift
if [ ! -x "$server" ]; then
    echo "not an executable: $server" >&2
    exit 2
fi
cd "$(dirname "$0")/.."

venv=.build/browser-venv
if [ ! -x "$venv/bin/pytest" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check selenium==4.27.1 pytest==8.3.4
fi

CHAT_SERVER_BINARY="$server" PYTHONDONTWRITEBYTECODE=1 exec "$venv/bin/pytest" -p no:cacheprovider Tests/browser "$@"
