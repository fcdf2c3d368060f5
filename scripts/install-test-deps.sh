#!/usr/bin/env bash
# Installs the independent iCalendar parsers the interop tests run against:
# libical (GObject introspection, for the system python3) and ical.js (npm); the Dovecot
# IMAP server the `som replies` tests start on a loopback port (tests/test_replies_imap.py);
# and the headless browser the page tests open index.html in (tests/test_page_browser.py):
# Debian's chromium with its chromedriver, and axe-core (npm) for the accessibility check.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=()
if ! /usr/bin/python3 -c 'import gi; gi.require_version("ICalGLib", "3.0")' >/dev/null 2>&1; then
    packages+=(gir1.2-ical-3.0 python3-gi)
fi
if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
    packages+=(dovecot-imapd)
fi
if ! command -v openssl >/dev/null 2>&1; then
    packages+=(openssl)
fi
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    packages+=(chromium chromium-driver fonts-dejavu-core)
fi
if [ "${#packages[@]}" -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
    # The package starts a system-wide Dovecot where it can; the tests start their own.
fi

if [ ! -e "$root/tests/interop/node_modules/ical.js" ] || [ ! -e "$root/tests/interop/node_modules/axe-core" ] \
        || [ ! -e "$root/tests/interop/node_modules/postal-mime" ]; then
    (cd "$root/tests/interop" && npm ci --no-audit --no-fund --loglevel=error)
fi
