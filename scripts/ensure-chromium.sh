#!/bin/sh
# Find Chromium for the browser tests, or install Debian's package when we can (as root).
set -e
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "error: the browser tests need Chromium at /usr/bin/chromium." >&2
echo "  On Debian or Ubuntu: sudo apt-get install -y chromium" >&2
echo "  (never 'playwright install': the tests use the system browser)" >&2
exit 1
