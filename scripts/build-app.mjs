// The production build of the frontend app: `yarn workspace app build` (backstage-cli package
// build) into packages/app/dist, which the backend's app-backend serves at its own address
// (@backstage/plugin-app-backend finds it through the backend's dependency on `app`, in
// development as in production). `make bench` measures the fleet page from it.
//
// The build takes minutes on two cores, so it is skipped when the last build started after the
// last change to every source it is built from: the app's and its workspace dependencies'
// src/ (tests left out), public/, package.json and config.d.ts, and the repository's
// package.json and yarn.lock. The app's config is not among them: app-backend injects it at
// runtime. packages/app/dist is ignored by git (.gitignore: dist).
//
//   node scripts/build-app.mjs [--force]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const APP_DIR = path.join(ROOT, 'packages/app');
const DIST = path.join(APP_DIR, 'dist');
/** Written after a successful build, with the time the build started as its mtime. */
const STAMP = path.join(DIST, '.build-started');
const WORKSPACE_FOLDERS = ['packages', 'plugins'];
const SOURCE_FOLDERS = ['src', 'public'];
const SOURCE_FILES = ['package.json', 'config.d.ts'];
const NOT_BUILT_FROM =
  /(\.test\.[cm]?[jt]sx?|\/setupTests\.[jt]sx?|\/__testUtils__\/.*)$/;

/** Every workspace package by name: its folder and package.json. */
function workspacePackages() {
  const packages = new Map();
  for (const folder of WORKSPACE_FOLDERS) {
    for (const entry of fs.readdirSync(path.join(ROOT, folder))) {
      const dir = path.join(ROOT, folder, entry);
      const manifest = path.join(dir, 'package.json');
      if (!fs.existsSync(manifest)) continue;
      const json = JSON.parse(fs.readFileSync(manifest, 'utf8'));
      packages.set(json.name, { dir, json });
    }
  }
  return packages;
}

/** The folders of the app and of every workspace package it depends on, transitively. */
function appPackageDirs() {
  const packages = workspacePackages();
  const dirs = new Set();
  const visit = name => {
    const found = packages.get(name);
    if (!found || dirs.has(found.dir)) return;
    dirs.add(found.dir);
    Object.keys(found.json.dependencies ?? {}).forEach(visit);
  };
  visit('app');
  return [...dirs];
}

/** The newest modification among the files the app is built from: its time and the file. */
function newestSource() {
  let newest = { mtimeMs: 0, file: undefined };
  const consider = file => {
    if (NOT_BUILT_FROM.test(file)) return;
    const { mtimeMs } = fs.statSync(file);
    if (mtimeMs > newest.mtimeMs) newest = { mtimeMs, file };
  };
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) consider(full);
    }
  };
  for (const dir of appPackageDirs()) {
    for (const folder of SOURCE_FOLDERS) {
      if (fs.existsSync(path.join(dir, folder))) walk(path.join(dir, folder));
    }
    for (const file of SOURCE_FILES) {
      if (fs.existsSync(path.join(dir, file))) consider(path.join(dir, file));
    }
  }
  consider(path.join(ROOT, 'package.json'));
  consider(path.join(ROOT, 'yarn.lock'));
  return newest;
}

function run(command, args, logFile) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'w');
    const child = spawn(command, args, {
      cwd: ROOT,
      stdio: ['ignore', out, out],
    });
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

/**
 * Builds packages/app/dist unless the last build is newer than every source (or `force`).
 * Answers whether the build was reused, why, and how long the build took when it ran.
 */
export async function buildApp({
  force = false,
  log = console.error,
  logFile = path.join(ROOT, '.cache/build-app.log'),
} = {}) {
  const source = newestSource();
  const builtAt = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  const relative = file => path.relative(ROOT, file);
  if (!force && builtAt > source.mtimeMs) {
    log(
      `app build reused: ${relative(
        DIST,
      )} is newer than every source (newest: ${relative(source.file)})`,
    );
    return { reused: true, buildSeconds: 0 };
  }
  const reason = force
    ? 'forced'
    : builtAt === 0
    ? `no ${relative(STAMP)} from an earlier build`
    : `${relative(source.file)} changed since the last build`;
  log(
    `building the app (${reason}): yarn workspace app build, log ${relative(
      logFile,
    )}`,
  );
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const started = Date.now();
  await run('yarn', ['workspace', 'app', 'build'], logFile);
  const buildSeconds = (Date.now() - started) / 1000;
  fs.writeFileSync(STAMP, '');
  fs.utimesSync(STAMP, new Date(started), new Date(started));
  log(`app built in ${Math.round(buildSeconds)} s`);
  return { reused: false, buildSeconds };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildApp({ force: process.argv.includes('--force') }).catch(error => {
    console.error(error.message);
    process.exit(1);
  });
}
