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

REPLICAS="${REPLICAS:-1}"
if ! [[ "$REPLICAS" =~ ^[1-9][0-9]*$ ]]; then
  echo "[start] REPLICAS must be a number of backends, 1 or more (got $REPLICAS)" >&2
  exit 1
fi
if [ "$REPLICAS" -gt 1 ]; then
  # `make start REPLICAS=N`: N backends (packages/backend, each on its port 7101, 7102, ...; as the
  # single one, with the sandbox's cloud identity and this script's environment) on one PostgreSQL
  # (app-config.replicas.yaml, its databases dropped first), behind scripts/replica-proxy.mjs on
  # the one address :7007 (backend.baseUrl; where the sandbox's webhooks go), then the frontend.
  # A backend that stops leaves the others serving; Ctrl-C, or the end of the proxy, the frontend
  # or the sandbox, stops everything.
  export POSTGRES_HOST="${POSTGRES_HOST:-127.0.0.1}" POSTGRES_PORT="${POSTGRES_PORT:-5432}"
  export POSTGRES_USER="${POSTGRES_USER:-postgres}"
  REPLICA_BASE_PORT="${REPLICA_BASE_PORT:-7100}"
  node scripts/reset-replica-databases.mjs omnivision_dev_
  pids=("$sandbox_pid")
  trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
  ports=()
  for i in $(seq 1 "$REPLICAS"); do
    port=$((REPLICA_BASE_PORT + i))
    ports+=("$port")
    APP_CONFIG_backend_listen_port="$port" \
      node scripts/run-with-cloud-identity.mjs "http://$SANDBOX_HOST" \
      yarn workspace backend start --config "$ROOT/app-config.replicas.yaml" \
      > >(sed -u "s/^/[backend $i :$port] /") 2>&1 &
    pids+=("$!")
    # The first creates the databases and runs the migrations; the others start on them.
    if [ "$i" -eq 1 ]; then
      for _ in $(seq 1 600); do
        if node scripts/port-answers.mjs 127.0.0.1 "$port"; then break; fi
        if ! kill -0 "${pids[-1]}" 2>/dev/null; then
          echo "[start] backend 1 did not start (is port $port taken? set REPLICA_BASE_PORT)" >&2
          exit 1
        fi
        sleep 0.5
      done
    fi
  done
  # Another port (BACKEND_PORT) also needs APP_CONFIG_backend_baseUrl and SANDBOX_WEBHOOK_URL.
  node scripts/replica-proxy.mjs "${BACKEND_PORT:-7007}" "${ports[@]}" &
  proxy_pid=$!
  pids+=("$proxy_pid")
  yarn workspace app start &
  app_pid=$!
  pids+=("$app_pid")
  wait -n "$sandbox_pid" "$proxy_pid" "$app_pid"
  exit $?
fi

# The backend reads the sandbox's clusters with cloud identity (app-config.sandbox.yaml): its
# environment comes from the sandbox, as a pod's comes from EKS and GKE.
# `repo start` hands its own --config flags to the backend process, which runs in packages/backend,
# and to the frontend's dev server: absolute paths resolve the same for both.
node scripts/run-with-cloud-identity.mjs "http://$SANDBOX_HOST" \
  yarn backstage-cli repo start --config "$ROOT/app-config.yaml" --config "$ROOT/app-config.sandbox.yaml"
