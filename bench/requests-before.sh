#!/usr/bin/env bash
# The "before" of bench/requests-bench.mjs: the same bench on the code before the event-driven
# request lifecycle (commit c5fcb37, where GET /requests listed every pull request and read the
# reviews of each open one on GitHub). Checks that commit out in a git worktree beside the
# checkout (outside its tree), installs it with its own scripts/with-toolchain.sh (the yarn cache
# makes it a few minutes), runs the bench against it into bench/results/requests-before.json and
# removes the worktree. `make bench-requests` then shows those figures beside its own.
#
#   scripts/with-toolchain.sh bench/requests-before.sh
#
# BENCH_BEFORE_COMMIT and BENCH_BEFORE_DIR change the commit and the folder; BENCH_KEEP_WORKTREE=1
# keeps the worktree for another run. The sizes (BENCH_OPEN_REQUESTS, …) pass through.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMIT="${BENCH_BEFORE_COMMIT:-c5fcb37}"
DIR="${BENCH_BEFORE_DIR:-$(dirname "$ROOT")/bench-before}"

log() { echo "[bench-before] $*" >&2; }

case "$DIR/" in
"$ROOT"/*)
  log "$DIR is inside the checkout: choose a folder outside it (BENCH_BEFORE_DIR)"
  exit 1
  ;;
esac

if [ -e "$DIR" ]; then
  if [ "$(git -C "$DIR" rev-parse HEAD 2>/dev/null)" != "$(git -C "$ROOT" rev-parse "$COMMIT^{commit}")" ]; then
    log "$DIR exists and is not a worktree at $COMMIT: remove it or set BENCH_BEFORE_DIR"
    exit 1
  fi
  log "reusing the worktree at $DIR"
else
  log "checking out $COMMIT in $DIR"
  git -C "$ROOT" worktree add --detach "$DIR" "$COMMIT" >&2
fi
if [ "${BENCH_KEEP_WORKTREE:-}" != 1 ]; then
  trap 'log "removing the worktree $DIR"; git -C "$ROOT" worktree remove --force "$DIR"' EXIT
fi

# Its own toolchain script: it installs where it lives (never in this checkout).
mkdir -p "$DIR/.cache/tmp"
log "installing $DIR's dependencies (log: $DIR/.cache/install.log)"
if ! (cd "$DIR" && TMPDIR="$DIR/.cache/tmp" OMNIVISION_SKIP_INSTALL=0 \
  scripts/with-toolchain.sh node -e 'process.exit(0)') >"$DIR/.cache/install.log" 2>&1; then
  log "the install failed: see $DIR/.cache/install.log (the worktree is kept)"
  trap - EXIT
  exit 1
fi

BENCH_ROOT="$DIR" node "$ROOT/bench/requests-bench.mjs"
