// What the benches share: logging, free ports, polling, JSON over fetch, percentiles, the
// processes they start (stopped when the bench exits, however it exits) and how they run the
// backend. Importing this module installs the exit and signal handlers that stop them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';

/** The checkout this bench lives in. */
export const ROOT = path.resolve(import.meta.dirname, '..');
/** Where the processes' logs go. */
export const LOGS = path.join(ROOT, '.cache/bench');

export const log = message => console.error(`[bench] ${message}`);
export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
export const round = (n, digits = 1) =>
  Math.round(n * 10 ** digits) / 10 ** digits;

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The value below which p % of `values` lie (0 for none). */
export function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** Polls `check` every 250 ms until it answers something truthy; fails after `timeoutMs`. */
export async function until(what, check, timeoutMs, hint = '') {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}${
          lastError ? ` (last error: ${lastError.message})` : ''
        }${hint ? `; see ${hint}` : ''}`,
      );
    }
    await sleep(250);
  }
}

/** Fetches `url` and answers its JSON body; fails on any status but 2xx. */
export async function json(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 500)}`,
    );
  }
  return text ? JSON.parse(text) : undefined;
}

const children = [];
let stopping = false;

/**
 * Starts a command in its own process group, its output to `logFile`. The bench fails when it
 * exits before the bench stops it.
 */
export function start(
  name,
  { command = 'yarn', args, env, cwd = ROOT, logFile },
) {
  const out = fs.openSync(logFile, 'w');
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
    detached: true,
  });
  children.push(child);
  child.on('exit', code => {
    if (!stopping) {
      log(`${name} exited (${code}); see ${logFile}`);
      process.exit(1);
    }
  });
  return child;
}

/** Stops every process the bench started (their whole process groups). */
export function stopAll() {
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
process.on('SIGTERM', () => process.exit(143));

/**
 * The backend of the checkout `root` as `yarn workspace backend start` (`backstage-cli package
 * start`) runs it, without its file watcher: the watcher restarts the backend, and so empties its
 * caches and in-memory database, on any change to a file it loaded, and other work in the same
 * checkout changes files mid-run. BENCH_BACKEND_WATCH=1 runs `yarn workspace backend start`
 * itself. `inspect` (host:port) opens the Node.js inspector there.
 */
export function backendCommand({ root = ROOT, configs, inspect }) {
  const configArgs = configs.flatMap(file => ['--config', file]);
  if (process.env.BENCH_BACKEND_WATCH === '1') {
    return {
      cwd: root,
      args: [
        'workspace',
        'backend',
        'start',
        ...(inspect ? ['--inspect', inspect] : []),
        ...configArgs,
      ],
    };
  }
  const backendDir = path.join(root, 'packages/backend');
  const resolve = createRequire(path.join(backendDir, 'package.json')).resolve;
  return {
    command: process.execPath,
    cwd: backendDir,
    args: [
      '--enable-source-maps',
      '--require',
      resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      ...(inspect ? [`--inspect=${inspect}`] : []),
      'src/index.ts',
      ...configArgs,
    ],
    env: {
      NODE_ENV: 'development',
      ESBK_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
    },
  };
}
