#!/bin/sh
# Find what the test suite needs outside Python: Chromium (browser tests), Java and npm (the Nu
# Html Checker and axe-core quality gates). Install Debian's packages when we can (as root);
# otherwise say how.
set -e
missing=""
# BRIEFING_TEST_CHROMIUM is for the test of this script only: the browser tests always use /usr/bin/chromium.
[ -x "${BRIEFING_TEST_CHROMIUM:-/usr/bin/chromium}" ] || missing="$missing chromium"
command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages for the tests:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  exit 0
fi
echo "error: the tests need Debian's$missing (the browser tests drive /usr/bin/chromium; never 'playwright install'): run  sudo apt-get install -y$missing  then make test again" >&2
exit 1
