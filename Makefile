# OmniVision Portal: every target bootstraps what it needs (Node 22, the committed Yarn,
# dependencies) through scripts/with-toolchain.sh and is quick when that is already done.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

TOOLCHAIN := scripts/with-toolchain.sh
# Temporary files (Jest's cache, Yarn's build folders, browser profiles) stay in the checkout.
export TMPDIR := $(CURDIR)/.cache/tmp
RESULTS := $(CURDIR)/.cache/test-results

.PHONY: help install start sandbox sandbox-reset tsc lint unit e2e test summary bench bench-requests clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(TMPDIR):
	@mkdir -p $@

install: | $(TMPDIR) ## Install the toolchain and dependencies only
	@$(TOOLCHAIN) node -e 'console.log("toolchain ready: node " + process.version)'

start: | $(TMPDIR) ## Run the portal (frontend :3000, backend :7007) with the sandbox (:7010); REPLICAS=2: two backends on PostgreSQL behind :7007
	@$(TOOLCHAIN) scripts/start-portal.sh

sandbox: | $(TMPDIR) ## Run the sandbox alone on 127.0.0.1:7010 (SANDBOX_PORT, SANDBOX_DATA)
	@$(TOOLCHAIN) yarn workspace @internal/sandbox start

sandbox-reset: ## Forget the sandbox's state: the next start is freshly seeded
	rm -rf $${SANDBOX_DATA:-$(CURDIR)/.sandbox-data}

tsc: | $(TMPDIR) ## Type check the whole repository
	@$(TOOLCHAIN) yarn tsc

lint: | $(TMPDIR) ## Lint every package
	@$(TOOLCHAIN) yarn backstage-cli repo lint

unit: | $(TMPDIR) ## Unit and backend tests (Jest), on SQLite and, when a server answers, PostgreSQL
	@mkdir -p $(RESULTS)
	@$(TOOLCHAIN) scripts/run-unit-tests.sh $(RESULTS)/jest.json

e2e: | $(TMPDIR) ## Playwright suite against a sandbox and portal started on free ports
	@mkdir -p $(RESULTS)
	@$(TOOLCHAIN) scripts/run-e2e-tests.sh $(RESULTS)/playwright.json

test: | $(TMPDIR) ## Type check, lint, unit tests and the Playwright suite
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory tsc lint unit e2e
	@$(MAKE) --no-print-directory summary

bench: | $(TMPDIR) ## Fleet status at scale (3 clusters x 5,000 GPU nodes x 150,000 pods; the fleet page's LCP from a production build of the app), each figure against its target: bench/results/fleet.json; then bench-requests
	@$(TOOLCHAIN) node bench/fleet-bench.mjs
	@$(MAKE) --no-print-directory bench-requests

bench-requests: | $(TMPDIR) ## GitHub calls per minute, 50 open requests and 20 viewers: bench/results/requests.json
	@$(TOOLCHAIN) node bench/requests-bench.mjs

summary: ## Print "N passed, N failed" over the last test run's reports
	@$(TOOLCHAIN) node scripts/test-summary.mjs $(RESULTS)

clean: ## Remove build output and test results (keeps node_modules)
	rm -rf $(RESULTS) .cache/tmp dist-types packages/*/dist plugins/*/dist e2e/test-results
