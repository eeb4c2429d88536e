import https from 'node:https';
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
  /** The CA of the API server's certificate, base64 PEM as in a kubeconfig. */
  caData: string;
}

/** GETs JSON from a cluster's API server over TLS, trusting the sandbox's CA. */
export function kubeGet(
  cluster: SandboxCluster,
  apiPath: string,
): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${cluster.url}${apiPath}`,
      {
        ca: Buffer.from(cluster.caData, 'base64').toString('utf8'),
        headers: {
          authorization: `Bearer ${cluster.token}`,
          accept: 'application/json',
        },
        agent: false,
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => {
          body += chunk;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(
              new Error(
                `GET ${apiPath}: ${res.statusCode} ${body.slice(0, 200)}`,
              ),
            );
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

export async function clusters(): Promise<SandboxCluster[]> {
  return (await admin('GET', '/endpoints')).clusters;
}

/** A cluster's nodes and whole GPUs, counted from its own API server: the ground truth. */
export async function groundTruth(cluster: SandboxCluster) {
  const nodes: any[] = (await kubeGet(cluster, '/api/v1/nodes')).items;
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
