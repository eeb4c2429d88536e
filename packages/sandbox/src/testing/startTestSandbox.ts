import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Sandbox, SandboxOptions } from '../Sandbox';

/** What `trustingFetch` takes: the part of `fetch`'s options that tests use. */
export interface TrustingFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * A `fetch` for `https://` URLs whose certificates come from the given CA (PEM), such as the
 * sandbox's API servers: Node's own `fetch` only trusts the system's CAs. The answer is a
 * standard `Response`, its body streamed.
 */
export function trustingFetch(ca: string) {
  return (url: string, init: TrustingFetchInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method: init.method ?? 'GET',
          headers: init.headers,
          ca,
          signal: init.signal,
          // A connection per request: nothing is kept between tests or across a sandbox's stop.
          agent: false,
        },
        res => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of [value ?? []].flat()) headers.append(name, v);
          }
          const status = res.statusCode ?? 0;
          const hasBody = ![101, 204, 205, 304].includes(status);
          if (!hasBody) res.resume();
          resolve(
            new Response(
              hasBody ? (Readable.toWeb(res) as ReadableStream) : null,
              { status, statusText: res.statusMessage, headers },
            ),
          );
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
}

/**
 * Starts a sandbox on a free loopback port with a fresh data folder, for one test file; `stop`
 * stops it and removes the folder.
 */
export async function startTestSandbox(options: Partial<SandboxOptions> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnivision-sandbox-'));
  const sandbox = await Sandbox.create({
    dataDir,
    port: 0,
    watchBookmarkIntervalMs: 200,
    ...options,
  });
  const url = await sandbox.start();
  const ca = sandbox.certificateAuthority;
  return {
    sandbox,
    /** GitHub and the admin API (plain HTTP). */
    url,
    dataDir,
    /** The CA of the API servers' certificate: PEM, and the file that holds it. */
    caPem: ca.certPem,
    caFile: ca.certFile,
    /** `fetch` for the API servers (`https://`), trusting the sandbox's CA. */
    kubeFetch: trustingFetch(ca.certPem),
    /** Calls the admin API and returns the parsed answer, failing on a non-2xx status. */
    async admin(method: string, adminPath: string, body?: unknown) {
      const res = await fetch(`${url}/sandbox${adminPath}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (!res.ok)
        throw new Error(`${method} ${adminPath}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async stop() {
      await sandbox.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A sandbox whose canaries run at 600× real time (a 10-minute pause takes 1 s, an analysis
 * measures every 100 ms), with its EKS cluster's endpoint: what the Rollout tests start from.
 */
export async function startFastCanarySandbox() {
  const t = await startTestSandbox({
    sync: { intervalMs: 50, autoscaleDelayMs: 300, clockFactor: 600 },
  });
  const endpoints = await t.admin('GET', '/endpoints');
  const eks: { url: string; token: string } = endpoints.clusters.find(
    (c: { name: string }) => c.name === 'eks-us-west-2',
  );
  return { t, endpoints, eks };
}
