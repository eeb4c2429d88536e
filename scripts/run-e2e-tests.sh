#!/usr/bin/env bash
# Runs the Playwright suite in e2e/ against a portal that Playwright starts on free ports
# (and stops afterwards), in headless Chromium. Writes Playwright's JSON report to $1.
set -euo pipefail
report="${1:?usage: run-e2e-tests.sh REPORT.json}"

CHROMIUM_PATH="$(scripts/ensure-chromium.sh)"
export CHROMIUM_PATH
mapfile -t ports < <(node scripts/free-ports.mjs 3)
export E2E_APP_PORT="${ports[0]}" E2E_BACKEND_PORT="${ports[1]}" E2E_SANDBOX_PORT="${ports[2]}"
rm -rf ".cache/tmp/e2e-sandbox-$E2E_SANDBOX_PORT"
export PLAYWRIGHT_JSON_OUTPUT_NAME="$report"
echo "[e2e] portal on http://localhost:$E2E_APP_PORT (backend :$E2E_BACKEND_PORT, sandbox :$E2E_SANDBOX_PORT), browser $CHROMIUM_PATH" >&2

exec yarn playwright test --config e2e/playwright.config.ts
