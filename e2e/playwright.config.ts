import { defineConfig, devices } from '@playwright/test';
import path from 'node:path';

/**
 * The Playwright suite runs against a portal it starts itself: `make e2e` (scripts/run-e2e-tests.sh)
 * picks free ports and a Chromium and passes them in through the environment. Run by hand, it falls
 * back to the ports of `make start` and reuses a portal that is already running there.
 */
const appPort = Number(process.env.E2E_APP_PORT ?? 3000);
const backendPort = Number(process.env.E2E_BACKEND_PORT ?? 7007);
const sandboxPort = Number(process.env.E2E_SANDBOX_PORT ?? 7010);
const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
const appUrl = `http://localhost:${appPort}`;
const backendUrl = `http://localhost:${backendPort}`;
const repoRoot = path.resolve(__dirname, '..');
// A fresh, seeded sandbox for every run; it creates its CA in this folder before it answers.
const sandboxData = path.join(
  repoRoot,
  `.cache/tmp/e2e-sandbox-${sandboxPort}`,
);

/** The development-only secret the sandbox signs GitHub's webhooks with (app-config.sandbox.yaml's). */
const webhookSecret = 'sandbox-webhook-secret';

/** Config overrides read by Backstage from APP_CONFIG_* variables (see @backstage/config-loader). */
const portalEnv = {
  APP_CONFIG_app_baseUrl: appUrl,
  APP_CONFIG_backend_baseUrl: backendUrl,
  APP_CONFIG_backend_listen_port: String(backendPort),
  APP_CONFIG_backend_cors_origin: appUrl,
  // app-config.sandbox.yaml's GitHub, sign-in and clusters, at this run's sandbox, whose API servers'
  // certificate comes from the CA in its data folder (the sandbox starts first and creates it).
  SANDBOX_HOST: `127.0.0.1:${sandboxPort}`,
  SANDBOX_WEBHOOK_SECRET: webhookSecret,
  SANDBOX_CA_FILE: path.join(sandboxData, 'tls/ca.crt'),
  // The portal's GitHub App's private key, which the sandbox generates there (app-config.sandbox.yaml).
  SANDBOX_DATA: sandboxData,
  BROWSER: 'none',
  // The fleet pages without their fallback poll: what they show comes by the backend's
  // `omnivision:fleet` signals alone (fleet.spec's outage within 30 s, and every page's change).
  APP_CONFIG_omnivision_fleetPages_fallbackPollSeconds: '0',
};
const reuseExistingServer = !process.env.E2E_APP_PORT;

export default defineConfig({
  testDir: './tests',
  outputDir: path.join(repoRoot, 'e2e/test-results'),
  timeout: 60_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['json']],
  webServer: [
    {
      command: 'yarn workspace @internal/sandbox start',
      cwd: repoRoot,
      url: `${sandboxUrl}/sandbox/endpoints`,
      env: {
        SANDBOX_PORT: String(sandboxPort),
        SANDBOX_DATA: sandboxData,
        // GitHub's webhooks, to the backend's events endpoint (app-config.sandbox.yaml's secret).
        SANDBOX_WEBHOOK_URL: `${backendUrl}/api/events/http/github`,
        SANDBOX_WEBHOOK_SECRET: webhookSecret,
      },
      reuseExistingServer,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // With the cloud identity of the sandbox's fleet in its environment (app-config.sandbox.yaml).
      command: `node scripts/run-with-cloud-identity.mjs ${sandboxUrl} yarn workspace backend start`,
      cwd: repoRoot,
      url: `${backendUrl}/.backstage/health/v1/readiness`,
      env: portalEnv,
      reuseExistingServer,
      timeout: 240_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'yarn workspace app start',
      cwd: repoRoot,
      url: appUrl,
      env: portalEnv,
      reuseExistingServer,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
  use: {
    baseURL: appUrl,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          // Root needs --no-sandbox; the rest keeps Chromium off a closed network.
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
