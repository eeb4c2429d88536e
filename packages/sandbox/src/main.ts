import path from 'node:path';
import { Sandbox } from './Sandbox';
import { parseWebhookConfig } from './github/webhooks/WebhookConfig';

function optionalNumber(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(
      `${name} must be a positive number, not ${JSON.stringify(value)}`,
    );
  return n;
}

/** The GitHub App's webhook at start: SANDBOX_WEBHOOK_URL and SANDBOX_WEBHOOK_SECRET. */
function webhookFromEnvironment() {
  try {
    return parseWebhookConfig({
      url: process.env.SANDBOX_WEBHOOK_URL || null,
      secret: process.env.SANDBOX_WEBHOOK_SECRET || undefined,
    });
  } catch (error) {
    throw new Error(
      `SANDBOX_WEBHOOK_URL or SANDBOX_WEBHOOK_SECRET: ${
        (error as Error).message
      }`,
    );
  }
}

/** `make sandbox`: runs the sandbox until interrupted. */
async function main() {
  // Started by `yarn workspace @internal/sandbox start`, whose working folder is packages/sandbox.
  const repoRoot = path.resolve(process.cwd(), '../..');
  // A relative SANDBOX_DATA is taken from where yarn was started (the repository for `make`).
  const dataDir = process.env.SANDBOX_DATA
    ? path.resolve(process.env.INIT_CWD ?? repoRoot, process.env.SANDBOX_DATA)
    : path.join(repoRoot, '.sandbox-data');
  const sandbox = await Sandbox.create({
    dataDir,
    port: Number(process.env.SANDBOX_PORT ?? 7010),
    clusters: process.env.SANDBOX_CLUSTERS,
    sync: {
      intervalMs: optionalNumber('SANDBOX_SYNC_INTERVAL_MS'),
      autoscaleDelayMs: optionalNumber('SANDBOX_AUTOSCALE_DELAY_MS'),
      clockFactor: optionalNumber('SANDBOX_CLOCK_FACTOR'),
    },
    webhooks: {
      ...webhookFromEnvironment(),
      attempts: optionalNumber('SANDBOX_WEBHOOK_ATTEMPTS'),
      retryMs: optionalNumber('SANDBOX_WEBHOOK_RETRY_MS'),
    },
  });
  const url = await sandbox.start();
  console.log(
    `[sandbox] listening on ${url} (admin API: ${url}/sandbox/endpoints)`,
  );
  const endpoints = sandbox.endpoints();
  console.log(
    `[sandbox] the API servers answer over TLS; their CA: ${endpoints.tls.caFile}`,
  );
  for (const cluster of endpoints.clusters) {
    console.log(
      `[sandbox] cluster ${cluster.name} (${cluster.cloud} ${cluster.region}): ${cluster.url}`,
    );
  }
  const webhook = sandbox.webhooks.config;
  console.log(
    `[sandbox] the GitHub App's webhook: ${
      webhook.url
        ? `${webhook.url} (${webhook.secretConfigured ? 'signed' : 'unsigned'})`
        : 'no URL, nothing delivered'
    } (${url}/sandbox/webhooks/config)`,
  );
  const [first] = endpoints.clusters;
  if (first) {
    console.log(
      `[sandbox] e.g. kubectl --server ${first.url} --certificate-authority ${endpoints.tls.caFile} --token <its token, from ${url}/sandbox/endpoints> get nodes,pods -A`,
    );
  }
  const shutdown = () => {
    sandbox.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch(error => {
  console.error('[sandbox] failed to start:', error);
  process.exit(1);
});
