#!/usr/bin/env node
// Runs a command (a portal backend) with the cloud identity of the sandbox's fleet in its
// environment, as a pod on EKS (IRSA) and GKE (workload identity) has it: the AWS SDK's web
// identity and STS endpoint, google-auth-library's metadata server. The sandbox publishes these
// in /sandbox/endpoints (cloudIdentity.environment): they are read from there, never restated.
//
//   node scripts/run-with-cloud-identity.mjs http://127.0.0.1:7010 yarn start
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os, { constants } from 'node:os';
import path from 'node:path';

const [sandboxUrl, command, ...args] = process.argv.slice(2);
if (!sandboxUrl || !command) {
  console.error(
    'usage: run-with-cloud-identity.mjs <sandbox URL> <command> [args...]',
  );
  process.exit(2);
}

const response = await fetch(
  `${sandboxUrl.replace(/\/+$/, '')}/sandbox/endpoints`,
);
if (!response.ok) {
  console.error(
    `[cloud identity] ${sandboxUrl}/sandbox/endpoints answered ${response.status}`,
  );
  process.exit(1);
}
const { cloudIdentity } = await response.json();
if (!cloudIdentity?.environment) {
  console.error(
    `[cloud identity] ${sandboxUrl} publishes no cloud identity (is it the sandbox?)`,
  );
  process.exit(1);
}

// google-auth-library reads a developer's own application default credentials
// (~/.config/gcloud, found through HOME) before the metadata server: the backend would send a real
// Google token to the sandbox's GKE API server, which refuses it. Say so rather than fail later.
const gcloudCredentials = path.join(
  os.homedir(),
  '.config/gcloud/application_default_credentials.json',
);
if (fs.existsSync(gcloudCredentials)) {
  console.error(
    `[cloud identity] ${gcloudCredentials} exists: google-auth-library would use your own Google ` +
      "credentials instead of the sandbox's metadata server. Move it aside while the portal runs " +
      'against the sandbox (gcloud auth application-default revoke, or rename it).',
  );
  process.exit(1);
}

const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, ...cloudIdentity.environment },
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : code ?? 1);
});
