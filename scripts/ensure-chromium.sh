#!/usr/bin/env bash
# Prints the path of a Chromium for Playwright. Installs Debian's package when none is found
# and this user can (root with apt-get); otherwise fails saying what to install.
# (Playwright's own browser download cannot reach its servers from our machines.)
set -euo pipefail

find_chromium() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if find_chromium; then exit 0; fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[e2e] no Chromium found: installing Debian's chromium package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium >&2
  find_chromium && exit 0
fi

cat >&2 <<'MSG'
[e2e] No Chromium found and it cannot be installed from here.
      Install one (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH
      to a Chromium or Chrome executable, then run `make test` again.
MSG
exit 1
