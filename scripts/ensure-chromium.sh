#!/bin/sh
# Browser tests need Debian's Chromium at /usr/bin/chromium (Playwright may not
# download its own browser here). Install it when we can, else say what to do.
set -e
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    exit 0
fi
echo "Browser tests need Chromium at /usr/bin/chromium: run 'apt-get install chromium' as root." >&2
exit 1
