#!/usr/bin/env node
// Runs a command (a portal backend) with the cloud identity of the sandbox's fleet in its
// environment, as a pod on EKS (IRSA) and GKE (workload identity) has it: the AWS SDK's web
// identity and STS endpoint, google-auth-library's metadata server. The sandbox publishes these
// in /sandbox/endpoints (cloudIdentity.environment): they are read from there, never restated.
//
//   node scripts/run-with-cloud-identity.mjs http://127.0.0.1:7010 yarn start
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

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
