import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSandbox } from '../testing/startTestSandbox';
import { findResourceType } from './resources';

/** The real kubectl: scripts/with-toolchain.sh puts kubectl 1.33 first on PATH. */
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the sandbox API servers, driven by the real kubectl over TLS', () => {
  let t: TestSandbox;
  let home: string;
  let clusters: Array<{
    name: string;
    url: string;
    token: string;
    caFile: string;
  }>;

  /**
   * Runs kubectl with an empty kubeconfig and its own discovery cache, so that neither the
   * user's kubeconfig nor an earlier run's cache plays a part.
   */
  function kubectl(args: string[]): Promise<Run> {
    const kubeconfig = path.join(home, 'kubeconfig');
    return new Promise(resolve => {
      execFile(
        KUBECTL,
        [
          `--kubeconfig=${kubeconfig}`,
          `--cache-dir=${path.join(home, 'cache')}`,
          '--request-timeout=20s',
          ...args,
        ],
        {
          env: { ...process.env, KUBECONFIG: kubeconfig },
          maxBuffer: 256 * 1024 * 1024,
          timeout: 60_000,
        },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') {
            // kubectl did not run at all (not on PATH, killed): that is a failure of the test.
            resolve({
              code: -1,
              stdout,
              stderr: `${error.message}\n${stderr}`,
            });
            return;
          }
          resolve({ code: (error?.code as number) ?? 0, stdout, stderr });
        },
      );
    });
  }

  /** The flags that reach a cluster: its URL, the published CA, its token. */
  function authFor(c: (typeof clusters)[number]): string[] {
    return [
      `--server=${c.url}`,
      `--certificate-authority=${c.caFile}`,
      `--token=${c.token}`,
    ];
  }

  /** `kubectl get <what> -A -o json` on a cluster: the list it prints, once it succeeded. */
  async function getJson(c: (typeof clusters)[number], what: string) {
    const run = await kubectl([...authFor(c), 'get', what, '-A', '-o', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout);
    expect(list.kind).toBe('List');
    return list as { items: any[] };
  }

  beforeAll(async () => {
    t = await startTestSandbox();
    clusters = (await t.admin('GET', '/endpoints')).clusters;
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'omnivision-kubectl-'));
    fs.writeFileSync(path.join(home, 'kubeconfig'), '');
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('is kubectl 1.33 or newer', async () => {
    const run = await kubectl(['version', '--client', '-o', 'json']);
    expect(run).toMatchObject({ code: 0 });
    const { clientVersion } = JSON.parse(run.stdout);
    expect(Number(clientVersion.major)).toBe(1);
    expect(Number(clientVersion.minor)).toBeGreaterThanOrEqual(33);
  });

  it('lists the nodes and pods of every cluster with the published CA and token, discovery included', async () => {
    expect(clusters.length).toBeGreaterThanOrEqual(2);
    const nodes = findResourceType('', 'v1', 'nodes')!;
    const pods = findResourceType('', 'v1', 'pods')!;
    for (const c of clusters) {
      expect(c.url).toMatch(/^https:\/\//);
      const list = await getJson(c, 'nodes,pods');
      const kinds = new Map<string, string[]>();
      for (const item of list.items) {
        kinds.set(item.kind, [
          ...(kinds.get(item.kind) ?? []),
          item.metadata.namespace
            ? `${item.metadata.namespace}/${item.metadata.name}`
            : item.metadata.name,
        ]);
      }
      // The sandbox's own store is the truth kubectl must show, object for object.
      const store = t.sandbox.fleet.clusters.get(c.name)!.store;
      const expectedNodes = store.all(nodes).map(n => n.metadata.name);
      const expectedPods = store
        .all(pods)
        .map(p => `${p.metadata.namespace}/${p.metadata.name}`);
      expect(expectedNodes.length).toBeGreaterThan(0);
      expect(expectedPods.length).toBeGreaterThan(0);
      expect([...kinds.keys()].sort()).toEqual(['Node', 'Pod']);
      expect(kinds.get('Node')!.sort()).toEqual(expectedNodes.sort());
      expect(kinds.get('Pod')!.sort()).toEqual(expectedPods.sort());
    }
  });

  it('prints a table too, and reads the server version', async () => {
    const c = clusters[0];
    const auth = authFor(c);
    const get = await kubectl([...auth, 'get', 'namespaces']);
    expect(get).toMatchObject({ code: 0 });
    // The sandbox answers with lists, not server-side Tables: kubectl prints NAME and AGE.
    expect(get.stdout).toMatch(/^NAME\s+(\S.*\s)?AGE\n/);
    expect(get.stdout).toMatch(/^omnivision-models\s/m);
    const version = await kubectl([...auth, 'version', '-o', 'json']);
    expect(version).toMatchObject({ code: 0 });
    expect(JSON.parse(version.stdout).serverVersion.gitVersion).toMatch(
      /^v1\./,
    );
  });

  it('still reads Secrets in full, as JSON and as a table with their kind, counted as full reads', async () => {
    const c = clusters[0];
    const auth = authFor(c);
    await t.admin('POST', `/clusters/${c.name}/compliance`, {
      break: 'static-key',
    });
    try {
      await t.admin('DELETE', '/stats');
      const list = await getJson(c, 'secrets');
      const legacy = list.items.find(
        (i: any) => i.metadata.name === 'legacy-s3-credentials',
      );
      expect(legacy).toMatchObject({ kind: 'Secret', type: 'Opaque' });
      expect(Object.keys(legacy.data)).toEqual([
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
      ]);

      const table = await kubectl([
        ...auth,
        'get',
        'secrets',
        '-n',
        'omnivision',
        '--show-kind',
      ]);
      expect(table).toMatchObject({ code: 0, stderr: '' });
      expect(table.stdout).toMatch(/^NAME\s+(\S.*\s)?AGE\n/);
      expect(table.stdout).toMatch(/^secret\/legacy-s3-credentials\s/m);
      expect(table.stdout).toMatch(/^secret\/omnivision-ui-tls\s/m);

      const name = await kubectl([
        ...auth,
        'get',
        'secrets',
        '-A',
        '-o',
        'name',
      ]);
      expect(name).toMatchObject({ code: 0, stderr: '' });
      expect(name.stdout.split('\n')).toContain('secret/legacy-s3-credentials');

      // kubectl asks for Tables or the objects, never metadata only: each read is a full one.
      const { byEndpoint } = (await t.admin('GET', '/stats')).clusters[c.name];
      const secretReads = Object.entries(byEndpoint).filter(([e]) =>
        e.includes('/secrets'),
      );
      expect(secretReads.length).toBeGreaterThan(0);
      for (const [e] of secretReads) expect(e).not.toMatch(/;as=/);
    } finally {
      await t.admin(
        'DELETE',
        `/clusters/${c.name}/compliance?break=static-key`,
      );
    }
  });

  it('fails certificate verification without the CA, and authentication without the token', async () => {
    const c = clusters[0];
    const untrusted = await kubectl([
      `--server=${c.url}`,
      `--token=${c.token}`,
      'get',
      'nodes',
    ]);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(
      /x509: certificate signed by unknown authority|failed to verify certificate/,
    );
    expect(untrusted.stdout).toBe('');

    const wrongToken = await kubectl([
      `--server=${c.url}`,
      `--certificate-authority=${c.caFile}`,
      '--token=not-the-token',
      'get',
      'nodes',
    ]);
    expect(wrongToken.code).not.toBe(0);
    expect(wrongToken.stderr).toMatch(/Unauthorized|provide credentials/);
  });
});
