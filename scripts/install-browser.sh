#!/usr/bin/env bash
# Chromium and a CJK font for the browser tests (tests/e2e/test_browser.py drives /usr/bin/chromium through
# Playwright; Playwright's own browser downloads are not used). Idempotent and quiet: does nothing when both are
# installed. Needs root (CI runs as root) or sudo.
set -euo pipefail
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
have chromium && [ -x /usr/bin/chromium ] || missing+=(chromium)
have fonts-noto-cjk || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-browser: need root to install ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-browser: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
