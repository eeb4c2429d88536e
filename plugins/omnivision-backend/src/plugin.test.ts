import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { FleetStatus } from '@internal/plugin-omnivision-common';
import {
  eventually,
  mergeFiles,
  startTestSandbox,
} from '@internal/sandbox/testUtils';
import { Octokit } from '@octokit/rest';
import { stringify } from 'yaml';
import request from 'supertest';
import { omnivisionPlugin } from './plugin';

jest.setTimeout(60_000);

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;
interface SandboxCluster {
  name: string;
  cloud: string;
  region: string;
  url: string;
  token: string;
  caData: string;
  caFile: string;
}

/** The sandbox's own answer, counted by hand from its API server: the ground truth. */
async function groundTruth(sandbox: TestSandbox, cluster: SandboxCluster) {
  const get = async (path: string) => {
    const res = await sandbox.kubeFetch(`${cluster.url}${path}`, {
      headers: { authorization: `Bearer ${cluster.token}` },
    });
    return (await res.json()).items as any[];
  };
  const nodes = await get('/api/v1/nodes');
  const pods = await get('/api/v1/pods');
  const gpuLimit = (pod: any) =>
    pod.spec.containers.reduce(
      (sum: number, c: any) =>
        sum + Number(c.resources?.limits?.['nvidia.com/gpu'] ?? 0),
      0,
    );
  return {
    nodesTotal: nodes.length,
    nodesReady: nodes.filter((n: any) =>
      n.status.conditions.some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      ),
    ).length,
    gpusAllocatable: nodes.reduce(
      (sum: number, n: any) =>
        sum + Number(n.status.allocatable['nvidia.com/gpu'] ?? 0),
      0,
    ),
    gpusRequested: pods
      .filter(
        (p: any) =>
          p.spec.nodeName && !['Succeeded', 'Failed'].includes(p.status.phase),
      )
      .reduce((sum: number, p: any) => sum + gpuLimit(p), 0),
    placeholderGpus: pods
      .filter(
        (p: any) =>
          p.spec.priority < 0 &&
          p.spec.nodeName &&
          p.status.phase === 'Running',
      )
      .reduce((sum: number, p: any) => sum + gpuLimit(p), 0),
  };
}

function wholeGpus(
  cluster: FleetStatus['clusters'][number],
  field: 'allocatable' | 'requested',
) {
  return cluster.gpu.gpus
    .filter(g => g.resource === 'nvidia.com/gpu')
    .reduce((sum, g) => sum + g[field], 0);
}

function fleetConfig(clusters: SandboxCluster[]) {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          // The API servers' certificate comes from the sandbox's CA: the first cluster trusts
          // it through caFile, the others through caData, so both ways are exercised.
          clusters: clusters.map((c, i) => ({
            name: c.name,
            url: c.url,
            authProvider: 'serviceAccount',
            serviceAccountToken: c.token,
            ...(i === 0 ? { caFile: c.caFile } : { caData: c.caData }),
          })),
        },
      ],
    },
    omnivision: {
      regions: clusters.map(c => ({
        id: c.region,
        cluster: c.name,
        cloud: c.cloud,
      })),
      fleet: {
        probeInterval: { milliseconds: 500 },
        staleAfter: '3s',
        requestTimeout: { seconds: 2 },
      },
    },
  };
}

const clusterEntities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'eks-us-west-2',
      annotations: {
        'omnivision.ai/encryption-at-rest': 'true',
        'omnivision.ai/admin-sign-in': 'entra-id',
      },
    },
    spec: { type: 'kubernetes-cluster', owner: 'platform-team' },
  },
];

describe('the fleet status API against the sandbox', () => {
  let sandbox: TestSandbox;
  let clusters: SandboxCluster[];
  let server: Parameters<typeof request>[0];
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      sync: { intervalMs: 200, autoscaleDelayMs: 500, clockFactor: 600 },
    });
    clusters = (await sandbox.admin('GET', '/endpoints')).clusters;
    const backend = await startTestBackend({
      features: [
        omnivisionPlugin,
        mockServices.rootConfig.factory({ data: fleetConfig(clusters) }),
        catalogServiceMock.factory({ entities: clusterEntities }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await sandbox?.stop();
  });

  async function syncedFleet(): Promise<FleetStatus> {
    return eventually(async () => {
      const res = await request(server).get('/api/omnivision/fleet');
      const body: FleetStatus = res.body;
      return res.status === 200 &&
        body.clusters.every(c => c.health.synced && c.health.reachable)
        ? body
        : undefined;
    }, 20_000);
  }

  it("answers every region with the sandbox's own figures", async () => {
    const fleet = await syncedFleet();
    expect(fleet.clusters.map(c => [c.name, c.cloud, c.region])).toEqual([
      ['eks-us-west-2', 'aws', 'us-west-2'],
      ['gke-europe-west1', 'gcp', 'europe-west1'],
    ]);
    for (const cluster of fleet.clusters) {
      const truth = await groundTruth(
        sandbox,
        clusters.find(c => c.name === cluster.name)!,
      );
      expect({
        nodesTotal: cluster.gpu.nodesTotal,
        nodesReady: cluster.gpu.nodesReady,
        gpusAllocatable: wholeGpus(cluster, 'allocatable'),
        gpusRequested: wholeGpus(cluster, 'requested'),
        placeholderGpus: cluster.warmPool.placeholderGpus,
      }).toEqual(truth);
      expect(cluster.gpu.gpuNodes).toBeGreaterThanOrEqual(24);
      expect(cluster.warmPool.meetsHeadroomTarget).toBe(true);
      expect(cluster.warmPool.meetsBaseline).toBe(true);
      expect(
        cluster.warmPool.scaleSchedules.map(s => s.targetGpuNodes),
      ).toEqual(expect.arrayContaining([100, 20]));
      expect(cluster.health.kubernetesVersion).toMatch(/^v1\.\d+/);
      expect(cluster.health.roundTripMs).toBeGreaterThanOrEqual(0);
      expect(
        cluster.gpu.gpus.some(g => g.resource.startsWith('nvidia.com/mig-')),
      ).toBe(true);
    }
    const [eks, gke] = fleet.clusters;
    // Declared controls come from the cluster's catalog entity; without one they are unknown.
    expect(eks.compliance).toMatchObject({ compliant: true, failing: [] });
    expect(eks.compliance.score).toBe(1);
    expect(gke.compliance.unknown).toEqual([
      'encryption-at-rest',
      'admin-sign-in',
    ]);
  });

  it('shows a cluster in detail: GPU nodes, the warm pool, compliance and deployments', async () => {
    await syncedFleet();
    const res = await request(server).get(
      '/api/omnivision/clusters/eks-us-west-2',
    );
    expect(res.status).toBe(200);
    expect(res.body.gpuNodes.length).toBeGreaterThanOrEqual(24);
    expect(
      res.body.gpuNodes.reduce((n: number, r: any) => n + r.placeholderPods, 0),
    ).toBe(res.body.warmPool.placeholdersRunning);
    expect(res.body.complianceControls).toHaveLength(8);
    const warmPool = await request(server).get(
      '/api/omnivision/clusters/eks-us-west-2/warm-pool',
    );
    expect(warmPool.body.warmPool).toEqual(res.body.warmPool);
  });

  it('sees a broken control within seconds, with its evidence', async () => {
    await syncedFleet();
    await sandbox.admin('POST', '/clusters/gke-europe-west1/compliance', {
      break: 'mtls',
    });
    try {
      const cluster = await eventually(async () => {
        const res = await request(server).get('/api/omnivision/compliance');
        return res.body.clusters.find(
          (c: any) =>
            c.name === 'gke-europe-west1' &&
            c.compliance.controls.find((x: any) => x.id === 'mtls').status ===
              'fail',
        );
      });
      const mtls = cluster.compliance.controls.find(
        (x: any) => x.id === 'mtls',
      );
      expect(mtls.evidence.join('\n')).toMatch(/PERMISSIVE|DISABLE/);
    } finally {
      await sandbox.admin('DELETE', '/clusters/gke-europe-west1/compliance');
    }
  });

  it('answers a conditional GET with 304 while the fleet is unchanged, and a change with a new ETag', async () => {
    await syncedFleet();
    // The sandbox's fleet lives (Argo CD syncs, canaries step): a pair of requests with no change
    // in between is what answers 304. (mTLS as the test before left it: restored.)
    const { first, unchanged } = await eventually(async () => {
      const res = await request(server).get('/api/omnivision/fleet');
      if (
        (res.body as FleetStatus).clusters.some(c =>
          c.compliance.failing.includes('mtls'),
        )
      ) {
        return undefined;
      }
      const again = await request(server)
        .get('/api/omnivision/fleet')
        .set('if-none-match', res.header.etag);
      return again.status === 304
        ? { first: res, unchanged: again }
        : undefined;
    });
    const etag = first.header.etag;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    expect(first.header['cache-control']).toBe('private, no-cache');
    expect(unchanged.text).toBeFalsy();
    expect(unchanged.header.etag).toBe(etag);

    await sandbox.admin('POST', '/clusters/gke-europe-west1/compliance', {
      break: 'mtls',
    });
    try {
      // Conditional GETs with the old tag (304 until something changes) until the broken
      // control shows, in a whole answer.
      const changed = await eventually(async () => {
        const res = await request(server)
          .get('/api/omnivision/fleet')
          .set('if-none-match', etag);
        const gke = (res.body as FleetStatus | undefined)?.clusters?.find(
          c => c.name === 'gke-europe-west1',
        );
        return res.status === 200 && gke?.compliance.failing.includes('mtls')
          ? res
          : undefined;
      });
      expect(changed.header.etag).not.toBe(etag);
    } finally {
      await sandbox.admin('DELETE', '/clusters/gke-europe-west1/compliance');
    }
  });

  it('keeps the other region complete when one goes down, and marks the down one', async () => {
    const before = await syncedFleet();
    await sandbox.admin('POST', '/clusters/eks-us-west-2/faults', {
      mode: 'down',
    });
    try {
      const fleet = await eventually(async () => {
        const res = await request(server).get('/api/omnivision/fleet');
        expect(res.status).toBe(200);
        const eks = res.body.clusters.find(
          (c: any) => c.name === 'eks-us-west-2',
        );
        return !eks.health.reachable ? (res.body as FleetStatus) : undefined;
      }, 30_000);
      const [eks, gke] = fleet.clusters;
      expect(eks.health).toMatchObject({ reachable: false, stale: true });
      expect(eks.health.error).toBeTruthy();
      expect(eks.health.lastContact).toBeDefined();
      // The last good figures, with their age.
      expect(eks.gpu.nodesTotal).toBe(before.clusters[0].gpu.nodesTotal);
      expect(gke.health).toMatchObject({ reachable: true, stale: false });
      const truth = await groundTruth(sandbox, clusters[1]);
      expect(gke.gpu.nodesTotal).toBe(truth.nodesTotal);
      expect(wholeGpus(gke, 'allocatable')).toBe(truth.gpusAllocatable);
    } finally {
      await sandbox.admin('DELETE', '/clusters/eks-us-west-2/faults');
    }
    // It comes back by itself.
    await syncedFleet();
  });

  it('answers within its usual time while a cluster hangs', async () => {
    await syncedFleet();
    await sandbox.admin('POST', '/clusters/gke-europe-west1/faults', {
      mode: 'hang',
    });
    // Each answer is timed once and its time asserted: no retry can hide a slow one.
    const timedFleet = async () => {
      const started = Date.now();
      const res = await request(server).get('/api/omnivision/fleet');
      return { body: res.body as FleetStatus, ms: Date.now() - started };
    };
    try {
      const atOnce = await timedFleet();
      expect(atOnce.ms).toBeLessThan(500);
      await eventually(
        async () => !(await timedFleet()).body.clusters[1].health.reachable,
        30_000,
      );
      const marked = await timedFleet();
      expect(marked.body.clusters[1].health.reachable).toBe(false);
      expect(marked.ms).toBeLessThan(500);
    } finally {
      await sandbox.admin('DELETE', '/clusters/gke-europe-west1/faults');
    }
  });

  it('reports what a cluster refuses (a 403 on pods) and keeps the rest', async () => {
    await syncedFleet();
    await sandbox.admin('POST', '/clusters/eks-us-west-2/faults', {
      mode: 'status',
      status: 403,
      resource: 'pods',
    });
    try {
      const eks = await eventually(async () => {
        const res = await request(server).get('/api/omnivision/fleet');
        const c = res.body.clusters[0];
        return c.health.resourceErrors.some((e: any) => e.resource === 'pods')
          ? c
          : undefined;
      }, 30_000);
      expect(eks.health.reachable).toBe(true);
      expect(eks.health.stale).toBe(true);
      expect(eks.gpu.nodesTotal).toBeGreaterThan(0);
    } finally {
      await sandbox.admin('DELETE', '/clusters/eks-us-west-2/faults');
    }
    await syncedFleet();
  });

  it('lists again after the server forgets its history (410 Gone), and stays current', async () => {
    await syncedFleet();
    // The caches fill themselves with watch lists (sendInitialEvents=true).
    const lists = async () =>
      (await sandbox.admin('GET', '/stats')).clusters['gke-europe-west1'].byVerb
        .WATCHLIST ?? 0;
    const listsBefore = await lists();
    // Cut off, the cache misses a change; the server then compacts its history past the
    // cache's resourceVersion, so the next watch gets 410 Gone.
    await sandbox.admin('POST', '/clusters/gke-europe-west1/faults', {
      mode: 'down',
    });
    await sandbox.admin('POST', '/clusters/gke-europe-west1/compliance', {
      break: 'pod-security',
    });
    await sandbox.admin('POST', '/clusters/gke-europe-west1/compact');
    await sandbox.admin('DELETE', '/clusters/gke-europe-west1/faults');
    try {
      await eventually(async () => {
        const res = await request(server).get('/api/omnivision/fleet');
        return res.body.clusters[1].compliance.failing.includes('pod-security');
      }, 20_000);
      // The watches were cut and their resourceVersion forgotten: the caches filled again.
      expect(await lists()).toBeGreaterThan(listsBefore);
    } finally {
      await sandbox.admin('DELETE', '/clusters/gke-europe-west1/compliance');
    }
  });

  it('follows a model merged into the GitOps repository to a healthy canary in each region', async () => {
    await syncedFleet();
    const none = await request(server).get(
      '/api/omnivision/models/styleclip-v2/deployments',
    );
    expect(none.body).toEqual({ model: 'styleclip-v2', deployments: [] });

    const endpoints = await sandbox.admin('GET', '/endpoints');
    const octokit = (role: string) =>
      new Octokit({
        baseUrl: endpoints.github.apiBaseUrl,
        auth: endpoints.github.users.find((u: any) => u.role === role).token,
      });
    const values = (cloud: string, key: string, placement: string) =>
      stringify({
        global: { cloudProvider: cloud },
        aiWorker: {
          image: `registry.example/styleclip-v2@sha256:${'b'.repeat(64)}`,
          replicas: 2,
          resources: { limits: { 'nvidia.com/gpu': 1 } },
          nodeAffinity: { key, operator: 'In', values: [placement] },
          podLabels: { 'hipaa-compliant': 'true' },
        },
      });
    await mergeFiles({
      author: octokit('data-scientist'),
      approver: octokit('approver'),
      repo: { owner: endpoints.github.owner, repo: endpoints.github.repo },
      branch: 'deploy/styleclip-v2',
      files: {
        'infrastructure/cluster-aws/models/styleclip-v2.yaml': values(
          'aws',
          'eks.amazonaws.com/nodegroup',
          'gpu-a10g',
        ),
        'infrastructure/cluster-gcp/models/styleclip-v2.yaml': values(
          'gcp',
          'cloud.google.com/gke-accelerator',
          'nvidia-l4',
        ),
      },
    });
    const deployed = await eventually(async () => {
      const res = await request(server).get(
        '/api/omnivision/models/styleclip-v2/deployments',
      );
      const deployments: any[] = res.body.deployments;
      return deployments.length === 2 &&
        deployments.every(
          d => d.rolloutPhase === 'Healthy' && d.healthStatus === 'Healthy',
        )
        ? deployments
        : undefined;
    }, 30_000);
    expect(deployed.map(d => [d.region, d.cloud])).toEqual([
      ['us-west-2', 'aws'],
      ['europe-west1', 'gcp'],
    ]);
    for (const d of deployed) {
      expect(d).toMatchObject({
        model: 'styleclip-v2',
        readyReplicas: 2,
        replicas: 2,
        syncStatus: 'Synced',
        canaryWeight: 100,
        stale: false,
      });
      expect(d.canaryStep).toBe(d.canarySteps);
    }
    const fleet = await request(server).get('/api/omnivision/fleet');
    expect(fleet.body.clusters.every((c: any) => c.modelsRunning >= 1)).toBe(
      true,
    );
  });

  it('refuses bad input with the reason, and an unknown cluster with 404', async () => {
    const bad = await request(server).get('/api/omnivision/clusters/Bad_Name');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/DNS-1123/);
    const unknown = await request(server).get(
      '/api/omnivision/clusters/aks-nowhere',
    );
    expect(unknown.status).toBe(404);
    const metric = await request(server).get(
      '/api/omnivision/history?cluster=eks-us-west-2&metric=magic',
    );
    expect(metric.status).toBe(400);
    expect(metric.body.error.message).toMatch(/metric must be one of/);
    const range = await request(server).get(
      '/api/omnivision/history?cluster=eks-us-west-2&metric=headroom&from=2026-11-24T10:00:00Z&to=2026-11-24T09:00:00Z',
    );
    expect(range.status).toBe(400);
    expect(range.body.error.message).toMatch(/from must be before to/);
    const extra = await request(server).get(
      '/api/omnivision/history?cluster=eks-us-west-2&metric=headroom&cluser=x',
    );
    expect(extra.status).toBe(400);
    const noCluster = await request(server).get(
      '/api/omnivision/history?cluster=aks-nowhere&metric=headroom',
    );
    expect(noCluster.status).toBe(404);
  });

  it('refuses a call without credentials', async () => {
    const res = await request(server)
      .get('/api/omnivision/fleet')
      .set('authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});

describe('the fleet status API without the read permission', () => {
  it('answers 403', async () => {
    const backend = await startTestBackend({
      features: [
        omnivisionPlugin,
        mockServices.rootConfig.factory({ data: { omnivision: {} } }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    try {
      const res = await request(backend.server).get('/api/omnivision/fleet');
      expect(res.status).toBe(403);
    } finally {
      await backend.stop();
    }
  });
});
