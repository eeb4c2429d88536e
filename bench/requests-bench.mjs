// `make bench-requests` (and `make bench`, after the fleet bench): what open deployment requests
// cost in GitHub calls. Starts a sandbox (which delivers GitHub's webhooks to the backend) and a
// backend, signs in as the data scientist maya-chen through the GitHub sign-in (the sandbox's
// OAuth web flow), opens 50 deployment requests by running the deploy template through the
// scaffolder API, then counts the GitHub calls the sandbox receives over two windows of 60 s:
//   - idle: nobody looks (the backend's own cost: its reconciler);
//   - viewers: 20 people with a requests page open, as the page polled before the event-driven
//     lifecycle: each GET /api/omnivision/requests and GET /api/omnivision/requests/:n every 10 s.
// Per minute: every call (githubCallsPerMinute), the calls GitHub counts against the rate limit,
// i.e. without the conditional ones answered 304 Not Modified (githubRateLimitedCallsPerMinute),
// and both by endpoint.
//
// BENCH_ROOT measures another checkout with this script, e.g. the code before the change in a git
// worktree (bench/requests-before.sh does it): its sandbox, backend and app-config.yaml run, with
// this folder's app-config.requests-bench.yaml over them. Its results go to
// bench/results/requests-before.json; those of this checkout to bench/results/requests.json, with
// the figures of requests-before.json beside them when it measured the same sizes.
// Prints the results as one JSON object on its last line.
// Sizes can be lowered for a quick look: BENCH_OPEN_REQUESTS, BENCH_VIEWERS, BENCH_WINDOW_SECONDS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  LOGS,
  ROOT,
  backendCommand,
  freePort,
  json,
  log,
  percentile,
  round,
  sleep,
  start,
  stopAll,
  until,
} from './lib.mjs';

const BENCH_ROOT = path.resolve(process.env.BENCH_ROOT ?? ROOT);
const MEASURES_THIS_CHECKOUT = BENCH_ROOT === ROOT;
const OPEN_REQUESTS = Number(process.env.BENCH_OPEN_REQUESTS ?? 50);
const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 20);
const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 60);
// How often an open requests page asked for the list and for the request it shows.
const POLL_SECONDS = 10;
// Time for the webhooks of the last requests to be delivered and handled before measuring.
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 15);
const PERSON = 'maya-chen';
const TEMPLATE = 'template:default/deploy-model';
const MODEL = 'resource:default/vidgen-xl';
const GPU_PROFILE = 'a100-40gb-1';
const REGIONS = ['us-west-2', 'europe-west1'];
const MAX_REPLICAS = 64; // the template's maximum
// The development config's static token for scripts (app-config.sandbox.yaml, backend.auth).
const SCRIPTS_TOKEN = 'omnivision-dev-scripts-token';
// The sandbox's static token of the portal's app's bot, for the bench's own reads (the portal
// itself uses its GitHub App's installation tokens).
const PORTAL_GITHUB_TOKEN = 'ghp_sandbox_portal';
const GITOPS_REPO = 'omnivision-ai/omnivision-gitops';
const WEBHOOK_SECRET = 'sandbox-webhook-secret';
const BEFORE_RESULTS = path.join(ROOT, 'bench/results/requests-before.json');
const RESULTS = path.resolve(
  process.env.BENCH_RESULTS ??
    (MEASURES_THIS_CHECKOUT
      ? path.join(ROOT, 'bench/results/requests.json')
      : BEFORE_RESULTS),
);
const LOG_PREFIX = MEASURES_THIS_CHECKOUT ? 'requests' : 'requests-before';

const perMinute = count => round((count * 60) / WINDOW_SECONDS);

const logPath = name => path.join(LOGS, `${LOG_PREFIX}-${name}.log`);

/**
 * The checkout's own config layers: app-config.yaml, and the sandbox's over it where the checkout
 * has one (commits before the config was layered kept everything in app-config.yaml), then this
 * folder's app-config.requests-bench.yaml.
 */
function backendConfigs() {
  const sandboxLayer = path.join(BENCH_ROOT, 'app-config.sandbox.yaml');
  return [
    path.join(BENCH_ROOT, 'app-config.yaml'),
    ...(fs.existsSync(sandboxLayer) ? [sandboxLayer] : []),
    path.join(ROOT, 'bench/app-config.requests-bench.yaml'),
  ];
}

/** The commit a checkout is at, and whether its tracked files differ from it. */
function treeOf(root) {
  const git = (...args) =>
    execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
  try {
    return {
      root,
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedChanges:
        git('status', '--porcelain', '--untracked-files=no') !== '',
    };
  } catch {
    return { root };
  }
}

/** Cookies per host, enough for the sign-in's nonce cookie. */
class CookieJar {
  #cookies = new Map();

  async fetch(url, init = {}) {
    const { host } = new URL(url);
    const jar = this.#cookies.get(host) ?? new Map();
    this.#cookies.set(host, jar);
    const headers = new Headers(init.headers);
    if (jar.size > 0) {
      headers.set(
        'cookie',
        [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
      );
    }
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some(a => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** Follows redirects (as GETs) from `url`, keeping cookies; answers the last response. */
  async follow(url, init = {}) {
    let res = await this.fetch(url, init);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      const location = res.headers.get('location');
      if (!location || hops > 10) {
        throw new Error(`${url}: redirected ${hops} times, or nowhere`);
      }
      await res.arrayBuffer();
      url = new URL(location, url).toString();
      res = await this.fetch(url);
    }
    return { res, url };
  }
}

const unescapeHtml = text =>
  text.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));

/**
 * Signs in as `login` the way a person does: the backend's GitHub sign-in sends the browser to
 * the sandbox's authorize page, where they press the button with their login; the backend's
 * handler answers a page that posts the Backstage identity to the app. Answers its token.
 */
async function signIn(backend, login) {
  const jar = new CookieJar();
  const authorize = await jar.follow(
    `${backend}/api/auth/github/start?env=development`,
  );
  const page = await authorize.res.text();
  if (!authorize.res.ok) {
    throw new Error(`the authorize page: ${authorize.res.status} ${page}`);
  }
  if (!page.includes(`value="${login}"`)) {
    throw new Error(`the authorize page has no button for ${login}`);
  }
  const form = new URLSearchParams();
  for (const [, name, value] of page.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
  )) {
    form.set(name, unescapeHtml(value));
  }
  form.set('login', login);
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error('the authorize page has no form');
  const handler = await jar.follow(
    new URL(unescapeHtml(action), authorize.url).toString(),
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    },
  );
  const html = await handler.res.text();
  // The handler's page: `var authResponse = decodeURIComponent('…')`, then postMessage.
  const encoded = /authResponse = decodeURIComponent\('([^']*)'\)/.exec(
    html,
  )?.[1];
  if (!encoded) {
    throw new Error(
      `the sign-in handler (${handler.url}) answered ${
        handler.res.status
      } without an identity: ${html.slice(0, 500)}`,
    );
  }
  const message = JSON.parse(decodeURIComponent(encoded));
  const token = message.response?.backstageIdentity?.token;
  if (message.type !== 'authorization_response' || !token) {
    throw new Error(
      `sign-in as ${login} failed: ${JSON.stringify(
        message.error ?? message,
      ).slice(0, 500)}`,
    );
  }
  return token;
}

/** The i-th request: each its own region and replica count, so each its own branch. */
function requestValues(i) {
  const combinations = REGIONS.length * MAX_REPLICAS;
  if (i >= 2 * combinations) {
    throw new Error(`at most ${2 * combinations} distinct requests`);
  }
  return {
    model: MODEL,
    regions: [REGIONS[i % REGIONS.length]],
    gpuProfile: GPU_PROFILE,
    minReplicas: 1,
    maxReplicas: (Math.floor(i / REGIONS.length) % MAX_REPLICAS) + 1,
    rollout: i < combinations ? 'canary' : 'direct',
  };
}

/** Runs the deploy template once as the person and waits for its task to complete. */
async function runTemplate(backend, token, values) {
  const headers = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const { id } = await json(`${backend}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ templateRef: TEMPLATE, values }),
  });
  const task = await until(
    `scaffolder task ${id}`,
    async () => {
      const t = await json(`${backend}/api/scaffolder/v2/tasks/${id}`, {
        headers,
      });
      return ['completed', 'failed', 'cancelled'].includes(t.status) && t;
    },
    180_000,
    logPath('backend'),
  );
  if (task.status !== 'completed') {
    const events = await json(
      `${backend}/api/scaffolder/v2/tasks/${id}/events`,
      { headers },
    ).catch(() => []);
    const messages = events
      .map(e => e.body?.error?.message ?? e.body?.message)
      .filter(Boolean)
      .slice(-6);
    throw new Error(
      `the deploy template ended ${task.status} for ${JSON.stringify(
        values,
      )}:\n  ${messages.join('\n  ')}\nsee ${logPath('backend')}`,
    );
  }
}

/** The sandbox's GitHub counters over a window, per minute. */
function githubPerMinute(github) {
  // The sandbox counts 304 answers apart from the others (packages/sandbox/src/RequestStats.ts);
  // a sandbox without conditional requests has none.
  const notModified = github.notModified ?? {
    total: 0,
    byEndpoint: {},
    byToken: {},
  };
  const byEndpoint = {};
  for (const key of new Set([
    ...Object.keys(github.byEndpoint),
    ...Object.keys(notModified.byEndpoint),
  ])) {
    const calls =
      (github.byEndpoint[key] ?? 0) + (notModified.byEndpoint[key] ?? 0);
    byEndpoint[key] = {
      calls: perMinute(calls),
      notModified: perMinute(notModified.byEndpoint[key] ?? 0),
    };
  }
  const byToken = {};
  for (const key of new Set([
    ...Object.keys(github.byToken),
    ...Object.keys(notModified.byToken),
  ])) {
    byToken[key] = perMinute(
      (github.byToken[key] ?? 0) + (notModified.byToken[key] ?? 0),
    );
  }
  const sortedByCalls = entries =>
    Object.fromEntries(
      Object.entries(entries).sort(
        ([, a], [, b]) => (b.calls ?? b) - (a.calls ?? a),
      ),
    );
  return {
    githubCallsPerMinute: perMinute(github.total + notModified.total),
    githubRateLimitedCallsPerMinute: perMinute(github.total),
    githubNotModifiedPerMinute: perMinute(notModified.total),
    byEndpoint: sortedByCalls(byEndpoint),
    byToken: sortedByCalls(byToken),
  };
}

/**
 * `viewers` people with a requests page open for the window: each loads the list and one
 * request every POLL_SECONDS, their loads spread evenly over the period. Answers the latencies
 * once every load started in the window has answered.
 */
async function watchRequests(backend, token, numbers, viewers) {
  const headers = { authorization: `Bearer ${token}` };
  const listMs = [];
  const detailMs = [];
  const timed = async (url, into) => {
    const started = performance.now();
    const res = await fetch(url, { headers });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text}`);
    into.push(performance.now() - started);
  };
  const windowStart = Date.now();
  const windowEnd = windowStart + WINDOW_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: viewers }, async (_, v) => {
      const number = numbers[v % numbers.length];
      let next = windowStart + (v * POLL_SECONDS * 1000) / viewers;
      while (next < windowEnd) {
        await sleep(Math.max(0, next - Date.now()));
        await Promise.all([
          timed(`${backend}/api/omnivision/requests`, listMs),
          timed(`${backend}/api/omnivision/requests/${number}`, detailMs),
        ]);
        next += POLL_SECONDS * 1000;
      }
    }),
  );
  // Longer than the window when loads answer slower than they are asked for.
  return {
    listMs,
    detailMs,
    elapsedSeconds: (Date.now() - windowStart) / 1000,
  };
}

async function measureWindow(sandbox, what, work) {
  await json(`${sandbox}/sandbox/stats`, { method: 'DELETE' });
  log(`${what}: counting GitHub calls for ${WINDOW_SECONDS} s`);
  const extra = await work();
  const { github } = await json(`${sandbox}/sandbox/stats`);
  const figures = githubPerMinute(github);
  log(
    `${what}: ${figures.githubCallsPerMinute} GitHub calls/min, ${figures.githubRateLimitedCallsPerMinute} against the rate limit`,
  );
  return { ...figures, ...extra };
}

/** The figures of the code before the change, when they were measured with the same sizes. */
function beforeFigures(sizes) {
  if (!MEASURES_THIS_CHECKOUT || !fs.existsSync(BEFORE_RESULTS)) {
    return undefined;
  }
  const before = JSON.parse(fs.readFileSync(BEFORE_RESULTS, 'utf8'));
  if (Object.entries(sizes).some(([key, value]) => before[key] !== value)) {
    log(`${BEFORE_RESULTS} measured other sizes: not compared`);
    return undefined;
  }
  return {
    tree: before.tree,
    githubCallsPerMinute: before.githubCallsPerMinute,
    githubRateLimitedCallsPerMinute: before.githubRateLimitedCallsPerMinute,
    idleGithubCallsPerMinute: before.idle.githubCallsPerMinute,
    idleGithubRateLimitedCallsPerMinute:
      before.idle.githubRateLimitedCallsPerMinute,
    listP50Ms: before.listP50Ms,
    detailP50Ms: before.detailP50Ms,
  };
}

async function main() {
  fs.mkdirSync(LOGS, { recursive: true });
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  if (!fs.existsSync(path.join(BENCH_ROOT, 'node_modules'))) {
    throw new Error(
      `${BENCH_ROOT} has no node_modules: install it first (its scripts/with-toolchain.sh)`,
    );
  }
  const [sandboxPort, backendPort] = [await freePort(), await freePort()];
  const sandbox = `http://127.0.0.1:${sandboxPort}`;
  const backend = `http://127.0.0.1:${backendPort}`;
  const dataDir = path.join(
    BENCH_ROOT,
    `.cache/tmp/bench-requests-sandbox-${sandboxPort}`,
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
  const tree = treeOf(BENCH_ROOT);
  log(
    `measuring ${BENCH_ROOT} at ${tree.commit ?? '?'}${
      tree.uncommittedChanges ? ' with uncommitted changes' : ''
    }`,
  );

  log(`sandbox on ${sandbox} (log: ${logPath('sandbox')})`);
  start('sandbox', {
    args: ['workspace', '@internal/sandbox', 'start'],
    cwd: BENCH_ROOT,
    logFile: logPath('sandbox'),
    env: {
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_DATA: dataDir,
      SANDBOX_WEBHOOK_URL: `${backend}/api/events/http/github`,
      SANDBOX_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });
  const { tls, cloudIdentity } = await until(
    'the sandbox',
    () => json(`${sandbox}/sandbox/endpoints`),
    120_000,
    logPath('sandbox'),
  );

  log(`backend on ${backend} (log: ${logPath('backend')})`);
  const backendStart = backendCommand({
    root: BENCH_ROOT,
    configs: backendConfigs(),
  });
  start('backend', {
    ...backendStart,
    logFile: logPath('backend'),
    env: {
      ...backendStart.env,
      // The fleet's cloud identity (app-config.sandbox.yaml), as the sandbox publishes it; none
      // from a sandbox of before it (requests-before.sh).
      ...cloudIdentity?.environment,
      SANDBOX_HOST: `127.0.0.1:${sandboxPort}`,
      SANDBOX_CA_FILE: tls.caFile,
      // The GitHub App's private key (app-config.sandbox.yaml), generated in the sandbox's data.
      SANDBOX_DATA: dataDir,
      SANDBOX_WEBHOOK_SECRET: WEBHOOK_SECRET,
      APP_CONFIG_backend_listen_port: String(backendPort),
      APP_CONFIG_backend_baseUrl: backend,
    },
  });
  await until(
    'the backend',
    async () => (await fetch(`${backend}/.backstage/health/v1/readiness`)).ok,
    300_000,
    logPath('backend'),
  );

  // The deploy template checks regions against the fleet: let the caches sync first.
  await until(
    "the fleet's caches",
    async () => {
      const fleet = await json(`${backend}/api/omnivision/fleet`, {
        headers: { authorization: `Bearer ${SCRIPTS_TOKEN}` },
      });
      return (
        fleet.clusters.length > 0 && fleet.clusters.every(c => c.health.synced)
      );
    },
    120_000,
    logPath('backend'),
  );
  // Until the catalog has read catalog/org.yaml, nobody can sign in.
  const token = await until(
    `a sign-in as ${PERSON}`,
    () => signIn(backend, PERSON),
    120_000,
    logPath('backend'),
  );
  log(`signed in as ${PERSON} through the sandbox's GitHub sign-in`);
  await until(
    'the deploy template in the catalog',
    () =>
      json(
        `${backend}/api/catalog/entities/by-name/template/default/deploy-model`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      ),
    120_000,
    logPath('backend'),
  );

  const openingStarted = Date.now();
  for (let i = 0; i < OPEN_REQUESTS; i++) {
    await runTemplate(backend, token, requestValues(i));
    if ((i + 1) % 10 === 0 || i + 1 === OPEN_REQUESTS) {
      log(`${i + 1}/${OPEN_REQUESTS} deploy templates completed`);
    }
  }
  const openingSeconds = (Date.now() - openingStarted) / 1000;

  const { items } = await json(`${backend}/api/omnivision/requests`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const openPulls = await json(
    `${sandbox}/api/v3/repos/${GITOPS_REPO}/pulls?state=open&per_page=100`,
    { headers: { authorization: `token ${PORTAL_GITHUB_TOKEN}` } },
  );
  const openNumbers = new Set(openPulls.map(p => p.number));
  const numbers = items
    .map(item => item.pullRequestNumber)
    .filter(n => openNumbers.has(n));
  if (numbers.length !== OPEN_REQUESTS) {
    throw new Error(
      `GET /api/omnivision/requests lists ${items.length} requests, ${numbers.length} of them open on GitHub; expected ${OPEN_REQUESTS} open`,
    );
  }
  log(
    `${
      numbers.length
    } open requests listed by GET /api/omnivision/requests (opened in ${round(
      openingSeconds,
    )} s)`,
  );
  await sleep(SETTLE_SECONDS * 1000);

  const idle = await measureWindow(sandbox, 'idle', async () => {
    await sleep(WINDOW_SECONDS * 1000);
    return {};
  });
  const { listMs, detailMs, elapsedSeconds, ...viewing } = await measureWindow(
    sandbox,
    `${VIEWERS} viewers`,
    () => watchRequests(backend, token, numbers, VIEWERS),
  );

  const sizes = {
    openRequests: numbers.length,
    viewers: VIEWERS,
    windowSeconds: WINDOW_SECONDS,
    pollSeconds: POLL_SECONDS,
  };
  const before = beforeFigures(sizes);
  const results = {
    tree,
    ...sizes,
    pageLoadsPerMinute: {
      list: perMinute(listMs.length),
      detail: perMinute(detailMs.length),
    },
    // From the first load to the last answer: the figures are per WINDOW_SECONDS of loads asked.
    viewersElapsedSeconds: round(elapsedSeconds),
    githubCallsPerMinute: viewing.githubCallsPerMinute,
    githubRateLimitedCallsPerMinute: viewing.githubRateLimitedCallsPerMinute,
    githubNotModifiedPerMinute: viewing.githubNotModifiedPerMinute,
    byEndpoint: viewing.byEndpoint,
    byToken: viewing.byToken,
    idle,
    listP50Ms: round(percentile(listMs, 50)),
    listP99Ms: round(percentile(listMs, 99)),
    detailP50Ms: round(percentile(detailMs, 50)),
    detailP99Ms: round(percentile(detailMs, 99)),
    openingSeconds: round(openingSeconds),
    ...(before && {
      before,
      rateLimitedCallsRatioBeforeToNow:
        viewing.githubRateLimitedCallsPerMinute > 0
          ? round(
              before.githubRateLimitedCallsPerMinute /
                viewing.githubRateLimitedCallsPerMinute,
            )
          : null,
    }),
  };
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${path.relative(ROOT, RESULTS)}`);
  stopAll();
  await sleep(1000);
  fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(JSON.stringify(results));
}

main()
  .then(() => process.exit(0))
  .catch(error => {
    log(`failed: ${error.message}`);
    log(`logs: ${logPath('sandbox')}, ${logPath('backend')}`);
    process.exit(1);
  });
