#!/usr/bin/env bash
# `make start`: the sandbox (simulated GPU fleet) and the portal (frontend :3000, backend :7007).
# Ctrl-C stops both; so does the end of either.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SANDBOX_PORT="${SANDBOX_PORT:-7010}"
# app-config.sandbox.yaml points the portal's GitHub, sign-in and clusters at this host.
SANDBOX_HOST="127.0.0.1:$SANDBOX_PORT"
# The sandbox's state, and the CA its API servers' certificate comes from, which the portal
# trusts (app-config.sandbox.yaml's caFile). The backend runs in packages/backend: pass absolute paths.
SANDBOX_DATA="${SANDBOX_DATA:-$ROOT/.sandbox-data}"
case "$SANDBOX_DATA" in /*) ;; *) SANDBOX_DATA="$ROOT/$SANDBOX_DATA" ;; esac
SANDBOX_CA_FILE="$SANDBOX_DATA/tls/ca.crt"
export SANDBOX_PORT SANDBOX_HOST SANDBOX_DATA SANDBOX_CA_FILE
# The sandbox delivers GitHub's webhooks to the backend, signed with the secret app-config.sandbox.yaml
# checks them with (development only).
SANDBOX_WEBHOOK_URL="${SANDBOX_WEBHOOK_URL:-http://127.0.0.1:7007/api/events/http/github}"
SANDBOX_WEBHOOK_SECRET="${SANDBOX_WEBHOOK_SECRET:-sandbox-webhook-secret}"
export SANDBOX_WEBHOOK_URL SANDBOX_WEBHOOK_SECRET

yarn workspace @internal/sandbox start &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if node scripts/port-answers.mjs 127.0.0.1 "$SANDBOX_PORT"; then break; fi
  if ! kill -0 "$sandbox_pid" 2>/dev/null; then
    echo "[start] the sandbox did not start (is port $SANDBOX_PORT taken? set SANDBOX_PORT)" >&2
    exit 1
  fi
  sleep 0.2
done

# The sandbox writes its CA before it listens; without it the backend could not trust the clusters.
if [ ! -s "$SANDBOX_CA_FILE" ]; then
  echo "[start] no sandbox CA at $SANDBOX_CA_FILE (is another sandbox, with other data, on port $SANDBOX_PORT?)" >&2
  exit 1
fi

# The backend reads the sandbox's clusters with cloud identity (app-config.sandbox.yaml): its
# environment comes from the sandbox, as a pod's comes from EKS and GKE.
node scripts/run-with-cloud-identity.mjs "http://$SANDBOX_HOST" yarn start
