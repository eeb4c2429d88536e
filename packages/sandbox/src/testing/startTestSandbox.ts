import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Sandbox, SandboxOptions } from '../Sandbox';

/** Starts a sandbox on a free loopback port with a fresh data folder, for one test file. */
export async function startTestSandbox(options: Partial<SandboxOptions> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'omnivision-sandbox-'));
  const sandbox = await Sandbox.create({
    dataDir,
    port: 0,
    watchBookmarkIntervalMs: 200,
    ...options,
  });
  const url = await sandbox.start();
  return {
    sandbox,
    url,
    dataDir,
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

/** Polls until the check returns a truthy value, or fails after the timeout. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`,
      );
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
