// `make bench`: the fleet status service at scale. Starts a sandbox with three clusters of
// 2,000 GPU nodes and 30,000 pods each and a backend watching them, then measures:
//   - GET /api/omnivision/fleet latency (p50, p99) under 20 concurrent clients;
//   - API-server LIST calls per fleet request once the caches are synced (sandbox counters);
//   - backend heap after the caches synced minus before (after a forced GC, via the inspector);
//   - time from a change in the sandbox to the change in GET /fleet;
//   - the naive answer (everything listed through /api/kubernetes on each request) beside it;
//   - the floor: the same load on the backend's readiness route, the cheapest it serves.
// Prints the results as one JSON object on its last line and writes bench/results/fleet.json.
// Sizes can be lowered for a quick look: BENCH_NODES, BENCH_PODS, BENCH_REQUESTS.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLUSTERS = [
  'eks-us-west-2:aws:us-west-2',
  'gke-europe-west1:gcp:europe-west1',
  'eks-us-east-1:aws:us-east-1',
];
const NODES = Number(process.env.BENCH_NODES ?? 2000);
const PODS = Number(process.env.BENCH_PODS ?? 30000);
const CLIENTS = 20;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const NAIVE_REQUESTS = 5;
const CHANGES = 5;
// The development config's static token for scripts (app-config.sandbox.yaml, backend.auth).
const TOKEN = 'omnivision-dev-scripts-token';
const RESULTS = path.join(ROOT, 'bench/results/fleet.json');
const LOGS = path.join(ROOT, '.cache/bench');

const log = message => console.error(`[bench] ${message}`);
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const children = [];
function start(name, args, env) {
  const out = fs.openSync(path.join(LOGS, `${name}.log`), 'w');
  const child = spawn('yarn', args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  children.push(child);
  child.on('exit', code => {
    if (!stopping) {
      log(`${name} exited (${code}); see ${path.join(LOGS, `${name}.log`)}`);
      process.exit(1);
    }
  });
  return child;
}

let stopping = false;
function stopAll() {
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function json(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The backend's used heap after a full GC, in MB, through the Node.js inspector protocol. */
async function heapUsedMb(inspectorPort) {
  const [target] = await json(`http://127.0.0.1:${inspectorPort}/json/list`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const pending = new Map();
  ws.onmessage = event => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message);
  };
  let id = 0;
  const call = (method, params = {}) =>
    new Promise(resolve => {
      id += 1;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('HeapProfiler.enable');
  await call('HeapProfiler.collectGarbage');
  await call('HeapProfiler.collectGarbage');
  const answer = await call('Runtime.evaluate', {
    expression: 'process.memoryUsage().heapUsed',
    returnByValue: true,
  });
  ws.close();
  return answer.result.result.value / (1024 * 1024);
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

async function main() {
  fs.mkdirSync(LOGS, { recursive: true });
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  const [sandboxPort, backendPort, inspectorPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const sandbox = `http://127.0.0.1:${sandboxPort}`;
  const backend = `http://127.0.0.1:${backendPort}`;
  const dataDir = path.join(ROOT, `.cache/tmp/bench-sandbox-${sandboxPort}`);
  fs.rmSync(dataDir, { recursive: true, force: true });

  log(`sandbox on ${sandbox} with ${CLUSTERS.length} clusters`);
  start('sandbox', ['workspace', '@internal/sandbox', 'start'], {
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_DATA: dataDir,
    SANDBOX_CLUSTERS: CLUSTERS.join(','),
  });
  await until(
    'the sandbox',
    () => json(`${sandbox}/sandbox/endpoints`),
    60_000,
  );
  // The CA the sandbox keeps in its data folder: its API servers' certificate comes from it.
  const { tls, cloudIdentity } = await json(`${sandbox}/sandbox/endpoints`);
  const caFile = tls.caFile;
  const clusters = CLUSTERS.map(c => c.split(':')[0]);
  for (const name of clusters) {
    await json(`${sandbox}/sandbox/clusters/${name}/scale`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodes: NODES, pods: PODS }),
    });
  }
  const truth = {};
  for (const name of clusters) {
    truth[name] = (await json(`${sandbox}/sandbox/clusters/${name}`)).objects;
  }
  log(`scaled each cluster to ${NODES} GPU nodes and ${PODS} pods`);

  // Until the baseline heap is taken, the clusters answer 503: the caches stay empty.
  for (const name of clusters) {
    await json(`${sandbox}/sandbox/clusters/${name}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'status', status: 503 }),
    });
  }

  log(`backend on ${backend} (inspector on ${inspectorPort})`);
  start(
    'backend',
    [
      'workspace',
      'backend',
      'start',
      '--inspect',
      `127.0.0.1:${inspectorPort}`,
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      path.join(ROOT, 'app-config.sandbox.yaml'),
      '--config',
      path.join(ROOT, 'bench/app-config.bench.yaml'),
    ],
    {
      // The fleet is read with the sandbox's cloud identity (bench/app-config.bench.yaml).
      ...cloudIdentity.environment,
      SANDBOX_HOST: `127.0.0.1:${sandboxPort}`,
      SANDBOX_CA_FILE: caFile,
      // The GitHub App's private key (app-config.sandbox.yaml), generated in the sandbox's data.
      SANDBOX_DATA: dataDir,
      APP_CONFIG_backend_listen_port: String(backendPort),
      APP_CONFIG_backend_baseUrl: backend,
    },
  );
  await until(
    'the backend',
    async () => (await fetch(`${backend}/.backstage/health/v1/readiness`)).ok,
    300_000,
  );
  await sleep(5_000);
  const heapBefore = await heapUsedMb(inspectorPort);
  log(`heap before sync: ${round(heapBefore)} MB`);

  const headers = { authorization: `Bearer ${TOKEN}` };
  const fleetUrl = `${backend}/api/omnivision/fleet`;
  for (const name of clusters) {
    await fetch(`${sandbox}/sandbox/clusters/${name}/faults`, {
      method: 'DELETE',
    });
  }
  const syncStarted = Date.now();
  await until(
    'the caches to sync',
    async () => {
      const fleet = await json(fleetUrl, { headers });
      return (
        fleet.clusters.length === clusters.length &&
        fleet.clusters.every(
          c =>
            c.health.synced &&
            !c.health.stale &&
            c.gpu.nodesTotal === truth[c.name]['v1/nodes'],
        )
      );
    },
    180_000,
  );
  const syncSeconds = (Date.now() - syncStarted) / 1000;
  log(`caches synced in ${round(syncSeconds)} s`);
  await sleep(3_000);
  const heapAfter = await heapUsedMb(inspectorPort);
  log(`heap after sync: ${round(heapAfter)} MB`);

  // Latency under 20 concurrent clients, after a warm-up.
  const load = async (total, clients, url, init) => {
    const latencies = [];
    let issued = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (issued < total) {
          issued += 1;
          const started = performance.now();
          const res = await fetch(url, init);
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`${url}: ${res.status}`);
          latencies.push(performance.now() - started);
        }
      }),
    );
    return latencies;
  };
  await load(200, CLIENTS, fleetUrl, { headers });
  await fetch(`${sandbox}/sandbox/stats`, { method: 'DELETE' });
  const latencies = await load(REQUESTS, CLIENTS, fleetUrl, { headers });
  const stats = await json(`${sandbox}/sandbox/stats`);
  // The floor: the same load on the backend's cheapest route (no auth, no body).
  const floor = await load(
    REQUESTS,
    CLIENTS,
    `${backend}/.backstage/health/v1/readiness`,
    {},
  );
  const lists = Object.values(stats.clusters).reduce(
    (sum, c) => sum + (c.byVerb.LIST ?? 0),
    0,
  );
  log(`${REQUESTS} fleet requests: ${lists} LIST calls reached the clusters`);

  // From a change in a cluster to the change in the answer.
  const changeSamples = [];
  for (let i = 0; i < CHANGES; i++) {
    const name = clusters[i % clusters.length];
    const hasMtlsFailure = async () => {
      const fleet = await json(fleetUrl, { headers });
      return fleet.clusters
        .find(c => c.name === name)
        .compliance.failing.includes('mtls');
    };
    const started = performance.now();
    await json(`${sandbox}/sandbox/clusters/${name}/compliance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ break: 'mtls' }),
    });
    for (;;) {
      if (await hasMtlsFailure()) break;
      if (performance.now() - started > 30_000)
        throw new Error('change not seen in 30 s');
      await sleep(10);
    }
    changeSamples.push(performance.now() - started);
    await fetch(`${sandbox}/sandbox/clusters/${name}/compliance`, {
      method: 'DELETE',
    });
    await until(
      'the control to be restored',
      async () => !(await hasMtlsFailure()),
      30_000,
    );
  }

  // The naive way: list every node and pod of every cluster through /api/kubernetes.
  const naiveLatencies = [];
  for (let i = 0; i < NAIVE_REQUESTS; i++) {
    const started = performance.now();
    let gpus = 0;
    for (const name of clusters) {
      const init = {
        headers: { ...headers, 'backstage-kubernetes-cluster': name },
      };
      const nodes = await json(
        `${backend}/api/kubernetes/proxy/api/v1/nodes`,
        init,
      );
      const pods = await json(
        `${backend}/api/kubernetes/proxy/api/v1/pods`,
        init,
      );
      gpus += nodes.items.reduce(
        (sum, n) => sum + Number(n.status.allocatable['nvidia.com/gpu'] ?? 0),
        0,
      );
      if (pods.items.length !== truth[name]['v1/pods'])
        throw new Error('naive list incomplete');
    }
    if (!(gpus > 0)) throw new Error('naive answer has no GPUs');
    naiveLatencies.push(performance.now() - started);
  }

  const results = {
    clusters: clusters.length,
    nodesPerCluster: truth[clusters[0]]['v1/nodes'],
    podsPerCluster: truth[clusters[0]]['v1/pods'],
    requests: REQUESTS,
    concurrentClients: CLIENTS,
    fleetP50Ms: round(percentile(latencies, 50)),
    fleetP99Ms: round(percentile(latencies, 99)),
    readinessP50Ms: round(percentile(floor, 50)),
    readinessP99Ms: round(percentile(floor, 99)),
    listCallsPerRequest: round(lists / REQUESTS, 3),
    heapBeforeMb: round(heapBefore),
    heapAfterMb: round(heapAfter),
    heapGrowthMb: round(heapAfter - heapBefore),
    syncSeconds: round(syncSeconds),
    changeToApiMs: round(Math.max(...changeSamples)),
    changeToApiSamplesMs: changeSamples.map(s => round(s)),
    naiveRequests: NAIVE_REQUESTS,
    naiveP99Ms: round(percentile(naiveLatencies, 99)),
    naiveToCachedP99Ratio: round(
      percentile(naiveLatencies, 99) / percentile(latencies, 99),
    ),
  };
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to ${path.relative(ROOT, RESULTS)}`);
  console.log(JSON.stringify(results));
}

main()
  .then(() => process.exit(0))
  .catch(error => {
    log(`failed: ${error.message}`);
    process.exit(1);
  });
