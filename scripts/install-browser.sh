#!/usr/bin/env bash
# Installs what the browser tests need when it is missing (Debian/Ubuntu): Chromium and its
# WebDriver, from the distribution's packages (Playwright's and Selenium's own browser
# downloads need the internet; these do not).
set -euo pipefail
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "installing chromium and chromium-driver" >&2
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium chromium-driver
fi
