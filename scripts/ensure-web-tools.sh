#!/bin/sh
# Publishing (make publish) and its tests need Debian's nginx with the brotli-static module
# (served on 127.0.0.1 by the test itself, sending the pre-compressed .br
# copies), rsync (`invoke deploy`) and Java (the Nu HTML Checker of the
# quality gate, from the vnu-jar npm package), Node for the gate's Node tools.
# Install what is missing when we can, else say what to do.
set -e
cd "$(dirname "$0")/.."

missing=""
[ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
[ -e /usr/share/nginx/modules-available/mod-http-brotli-static.conf ] || missing="$missing libnginx-mod-http-brotli-static"
command -v rsync >/dev/null 2>&1 || missing="$missing rsync"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's$missing for the publishing tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    # The package starts a system nginx on port 80: the tests start their own.
    if [ -x /usr/sbin/nginx ] && [ -f /run/nginx.pid ]; then
        /usr/sbin/nginx -s stop 2>/dev/null || true
    fi
elif [ -n "$missing" ]; then
    echo "Publishing and its tests need:$missing. As root: apt-get install$missing" >&2
    exit 1
fi

# Node tools of the quality gate (vnu-jar, Lighthouse) and Decap CMS, pinned by package-lock.json
# (`make site` installs only Decap CMS: then the gate's tools are missing). --prefer-offline: see
# the Makefile's npm ci.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
        || [ ! -d node_modules/vnu-jar ] || [ ! -d node_modules/lighthouse ]; then
    echo "Installing the quality gate's Node tools (npm ci)..."
    npm ci --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error
fi
