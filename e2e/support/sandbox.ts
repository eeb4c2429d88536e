import path from 'node:path';
import type { Page } from '@playwright/test';

/** The sandbox this run's portal talks to (see playwright.config.ts). */
export const sandboxUrl = `http://127.0.0.1:${
  process.env.E2E_SANDBOX_PORT ?? 7010
}`;

/** Calls the sandbox's admin API; fails on a non-2xx answer. */
export async function admin(method: string, adminPath: string, body?: unknown) {
  const res = await fetch(`${sandboxUrl}/sandbox${adminPath}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${adminPath}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export interface SandboxCluster {
  name: string;
  cloud: string;
  region: string;
  url: string;
  token: string;
}

export async function clusters(): Promise<SandboxCluster[]> {
  return (await admin('GET', '/endpoints')).clusters;
}

/** A cluster's nodes and whole GPUs, counted from its own API server: the ground truth. */
export async function groundTruth(cluster: SandboxCluster) {
  const res = await fetch(`${cluster.url}/api/v1/nodes`, {
    headers: { authorization: `Bearer ${cluster.token}` },
  });
  const nodes: any[] = (await res.json()).items;
  return {
    nodesTotal: nodes.length,
    nodesReady: nodes.filter(n =>
      n.status.conditions.some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      ),
    ).length,
    gpusAllocatable: nodes.reduce(
      (sum, n) => sum + Number(n.status.allocatable['nvidia.com/gpu'] ?? 0),
      0,
    ),
  };
}

/** Saves a screenshot of the page among the run's artifacts (e2e/test-results/screenshots). */
export async function keepScreenshot(page: Page, name: string) {
  await page.screenshot({
    path: path.join(__dirname, '../test-results/screenshots', `${name}.png`),
    fullPage: true,
  });
}
