import { mockServices } from '@backstage/backend-test-utils';
import { computeCompliance } from '@internal/plugin-omnivision-common';
import { eventually, startTestSandbox } from '@internal/sandbox/testUtils';
import { ConfigReader } from '@backstage/config';
import { ClusterCache } from './ClusterCache';
import { ClusterCredentials } from './ClusterCredentials';
import { createClusterAuthStrategies } from './clusterAuthStrategies';
import type { ClusterEndpoint } from './ClusterConnection';

jest.setTimeout(60_000);

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

const STATIC_KEY_SECRET = 'omnivision/legacy-s3-credentials';

/** The requests for Secrets a cluster's API server counted, by endpoint and representation. */
async function secretReads(sandbox: TestSandbox, cluster: string) {
  const stats = await sandbox.admin('GET', '/stats');
  const byEndpoint: Record<string, number> = stats.clusters[cluster].byEndpoint;
  return Object.entries(byEndpoint).filter(([endpoint]) =>
    /\/secrets(;|$)/.test(endpoint),
  );
}

describe("the fleet's static-key control, reading Secrets as metadata only", () => {
  let sandbox: TestSandbox;
  let cache: ClusterCache | undefined;
  let endpoint: ClusterEndpoint;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const { clusters } = await sandbox.admin('GET', '/endpoints');
    const cluster = clusters.find((c: any) => c.name === 'eks-us-west-2');
    // The sandbox's static token (a service account's), as a cluster without cloud identity.
    endpoint = {
      name: cluster.name,
      url: cluster.url,
      caData: cluster.caData,
      authMetadata: {
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: cluster.token,
      },
    };
  });

  afterEach(async () => {
    cache?.stop();
    cache = undefined;
    await sandbox.admin('DELETE', `/clusters/${endpoint.name}/compliance`);
  });

  afterAll(() => sandbox?.stop());

  function startCache() {
    cache = ClusterCache.create({
      endpoint,
      credentials: ClusterCredentials.create({
        endpoint,
        strategies: createClusterAuthStrategies(new ConfigReader({})),
      }),
      logger: mockServices.logger.mock(),
      timings: { watchTimeoutSeconds: 5, minBackoffMs: 50, maxBackoffMs: 200 },
    });
    cache.start();
    return cache;
  }

  /** Waits until the caches the static-key control reads are filled. */
  function controlRead(c: ClusterCache) {
    return eventually(
      () =>
        c.caches.secrets.filled &&
        c.caches.pods.filled &&
        c.caches.namespaces.filled &&
        c.caches.serviceAccounts.filled,
    );
  }

  function workloadIdentity(c: ClusterCache) {
    const status = computeCompliance(c.complianceSnapshot('aws'), {});
    return status.controls.find(x => x.id === 'workload-identity')!;
  }

  it('passes a compliant cluster whose Secrets hold no cloud key, having read no Secret in full', async () => {
    await sandbox.admin('DELETE', '/stats');
    const c = startCache();
    await eventually(() => c.caches.secrets.filled);
    // The seeded TLS Secret is read, by its keys' names only.
    expect(c.caches.secrets.items()).toContainEqual({
      namespace: 'omnivision',
      name: 'omnivision-ui-tls',
      dataKeys: expect.arrayContaining(['tls.crt', 'tls.key']),
    });
    expect(
      JSON.stringify(c.caches.secrets.items()).includes('placeholder'),
    ).toBe(false);
    await controlRead(c);
    expect(workloadIdentity(c).status).toBe('pass');
    const reads = await eventually(async () => {
      const r = await secretReads(sandbox, endpoint.name);
      return r.some(([e]) => e.startsWith('WATCHLIST')) ? r : undefined;
    });
    // Filled by a watch list: the initial events and the changes on one metadata-only watch.
    expect(reads.map(([e]) => e).sort()).toEqual([
      'WATCHLIST /api/v1/secrets;as=PartialObjectMetadata',
    ]);
  });

  it('fails a cluster given a static key while watching, and again after listing afresh', async () => {
    await sandbox.admin('DELETE', '/stats');
    const c = startCache();
    await controlRead(c);
    expect(workloadIdentity(c).status).toBe('pass');

    // The watch brings the new Secret as PartialObjectMetadata: its keys come from managedFields.
    await sandbox.admin('POST', `/clusters/${endpoint.name}/compliance`, {
      break: 'static-key',
    });
    const failing = await eventually(() => {
      const control = workloadIdentity(c);
      return control.status === 'fail' ? control : undefined;
    });
    expect(failing.evidence).toEqual([
      `secret ${STATIC_KEY_SECRET} holds static cloud keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)`,
    ]);
    c.stop();

    // A cache started afresh finds it by listing.
    const fresh = startCache();
    await controlRead(fresh);
    expect(workloadIdentity(fresh).evidence).toEqual(failing.evidence);
    expect(JSON.stringify(fresh.caches.secrets.items())).not.toMatch(
      /AKIA|sandbox-not-a-real-secret|QUtJQ/,
    );

    // Restored, the control passes again.
    await sandbox.admin('DELETE', `/clusters/${endpoint.name}/compliance`);
    await eventually(() => workloadIdentity(fresh).status === 'pass');

    // Every request for Secrets asked for their metadata only.
    const reads = await secretReads(sandbox, endpoint.name);
    expect(reads.length).toBeGreaterThan(0);
    for (const [e] of reads) expect(e).toMatch(/;as=PartialObjectMetadata/);
  });
});
