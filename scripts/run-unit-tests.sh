#!/usr/bin/env bash
# Runs every package's Jest tests once, writing Jest's JSON report to $1.
# Database tests (TestDatabases) run on SQLite always and on PostgreSQL 15 when a server
# answers on 127.0.0.1:5432 (or at the connection string already set in the environment).
set -euo pipefail
report="${1:?usage: run-unit-tests.sh REPORT.json}"
pg_var=BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING

if [ -z "${!pg_var:-}" ]; then
  if node scripts/port-answers.mjs 127.0.0.1 5432; then
    export "$pg_var=postgresql://postgres@127.0.0.1:5432"
  else
    echo "[unit] no PostgreSQL on 127.0.0.1:5432: database tests run on SQLite only" >&2
  fi
fi

# --verbose names every case, so the SQLITE_3 and POSTGRES_15 runs show in the log.
# --watchAll=false: without CI set, the Backstage CLI would otherwise start in watch mode.
exec yarn backstage-cli repo test --ci --watchAll=false --verbose --json --outputFile="$report"
