#!/usr/bin/env bash
# Installs the system packages the build needs when they are missing (Debian/Ubuntu).
# GRDB links the system SQLite, so its headers must be present.
set -euo pipefail
if [ ! -f /usr/include/sqlite3.h ]; then
    echo "installing libsqlite3-dev" >&2
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq libsqlite3-dev
fi
