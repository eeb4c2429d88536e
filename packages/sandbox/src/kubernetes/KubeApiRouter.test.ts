import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  V1Namespace,
  V1Pod,
  makeInformer,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import { startTestSandbox } from '../testing/startTestSandbox';
import { eventually } from '../testing/eventually';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

function kubeConfig(
  server: string,
  token: string,
  caData: string | undefined,
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, caData, skipTLSVerify: false }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

describe('the sandbox Kubernetes API servers, driven by @kubernetes/client-node', () => {
  let t: TestSandbox;
  let clusters: Array<{
    name: string;
    cloud: string;
    url: string;
    token: string;
    caData: string;
  }>;

  beforeAll(async () => {
    t = await startTestSandbox();
    clusters = (await t.admin('GET', '/endpoints')).clusters;
  });
  afterAll(() => t.stop());

  it('serves both regions of the fleet', () => {
    expect(clusters.map(c => [c.name, c.cloud])).toEqual([
      ['eks-us-west-2', 'aws'],
      ['gke-europe-west1', 'gcp'],
    ]);
  });

  it('serves each API server over TLS, with a certificate from the CA the endpoints publish', async () => {
    const endpoints = await t.admin('GET', '/endpoints');
    const caPem = fs.readFileSync(t.caFile, 'utf8');
    expect(endpoints.tls).toEqual({
      caFile: t.caFile,
      caData: Buffer.from(caPem).toString('base64'),
    });
    for (const c of endpoints.clusters) {
      expect(c.url).toBe(`${t.url.replace(/^http:/, 'https:')}/k8s/${c.name}`);
      expect(c.caData).toBe(endpoints.tls.caData);
      expect(c.caFile).toBe(t.caFile);
      const res = await t.kubeFetch(`${c.url}/version`, {
        headers: { authorization: `Bearer ${c.token}` },
      });
      expect(res.status).toBe(200);
      expect((await res.json()).gitVersion).toMatch(/^v1\./);
    }
    // GitHub and the admin API stay on plain HTTP.
    expect(t.url).toMatch(/^http:\/\//);
  });

  it('refuses plain HTTP to the API servers as a TLS-only Go server does', async () => {
    const c = clusters[0];
    const res = await fetch(
      `${c.url.replace(/^https:/, 'http:')}/api/v1/nodes`,
      {
        headers: { authorization: `Bearer ${c.token}` },
      },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toBe(
      'Client sent an HTTP request to an HTTPS server.\n',
    );
  });

  it('is not trusted by a client that does not trust the sandbox CA', async () => {
    const c = clusters[0];
    const untrusting = kubeConfig(c.url, c.token, undefined).makeApiClient(
      CoreV1Api,
    );
    await expect(untrusting.listNode()).rejects.toThrow(
      /self[- ]signed|unable to verify|certificate/i,
    );
    const res = await fetch(`${c.url}/api/v1/nodes`).catch(
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(res).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|UNABLE_TO_GET/);
  });

  it.each([
    ['eks-us-west-2', 'eks.amazonaws.com/nodegroup'],
    ['gke-europe-west1', 'cloud.google.com/gke-accelerator'],
  ])(
    'lists the GPU nodes of %s with their cloud placement label and GPU Feature Discovery labels',
    async (name, placementLabel) => {
      const c = clusters.find(x => x.name === name)!;
      const core = kubeConfig(c.url, c.token, c.caData).makeApiClient(
        CoreV1Api,
      );
      const nodes = await core.listNode({
        labelSelector: 'nvidia.com/gpu.present=true',
      });
      expect(nodes.items.length).toBeGreaterThanOrEqual(24);
      const products = new Set(
        nodes.items.map(n => n.metadata!.labels!['nvidia.com/gpu.product']),
      );
      expect(products.size).toBeGreaterThanOrEqual(3);
      for (const node of nodes.items) {
        expect(node.metadata!.labels![placementLabel]).toBeTruthy();
        expect(
          Number(node.metadata!.labels!['nvidia.com/gpu.count']),
        ).toBeGreaterThan(0);
        expect(
          node.status!.conditions!.find(x => x.type === 'Ready')!.status,
        ).toBe('True');
      }
      const mig = nodes.items.filter(
        n => n.metadata!.labels!['nvidia.com/mig.strategy'] === 'mixed',
      );
      expect(mig.length).toBeGreaterThan(0);
      expect(
        mig[0].status!.allocatable!['nvidia.com/mig-1g.5gb'],
      ).toBeDefined();
    },
  );

  it('holds at least 20% of the whole GPUs in placeholder pods of negative priority', async () => {
    for (const c of clusters) {
      const core = kubeConfig(c.url, c.token, c.caData).makeApiClient(
        CoreV1Api,
      );
      const nodes = await core.listNode();
      const gpus = nodes.items.reduce(
        (sum, n) =>
          sum + Number(n.status?.allocatable?.['nvidia.com/gpu'] ?? 0),
        0,
      );
      const placeholders = await core.listNamespacedPod({
        namespace: 'warm-pool',
        labelSelector: 'app=gpu-placeholder',
      });
      const held = placeholders.items.reduce(
        (sum, p) =>
          sum +
          Number(p.spec!.containers[0].resources!.limits!['nvidia.com/gpu']),
        0,
      );
      expect(held / gpus).toBeGreaterThanOrEqual(0.2);
      expect(
        placeholders.items.every(
          p => p.spec!.priority! < 0 && p.status!.phase === 'Running',
        ),
      ).toBe(true);
    }
  });

  it('pages through a list with limit and continue, and filters by field selector', async () => {
    const c = clusters[0];
    const core = kubeConfig(c.url, c.token, c.caData).makeApiClient(CoreV1Api);
    const all = await core.listPodForAllNamespaces();
    const paged: V1Pod[] = [];
    let token: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({
        limit: 7,
        _continue: token,
      });
      expect(page.items.length).toBeLessThanOrEqual(7);
      paged.push(...page.items);
      token = page.metadata?._continue;
    } while (token);
    expect(paged.map(p => p.metadata!.name)).toEqual(
      all.items.map(p => p.metadata!.name),
    );

    const node = all.items[0].spec!.nodeName!;
    const onNode = await core.listPodForAllNamespaces({
      fieldSelector: `spec.nodeName=${node}`,
    });
    expect(onNode.items.length).toBeGreaterThan(0);
    expect(onNode.items.every(p => p.spec!.nodeName === node)).toBe(true);
  });

  it('answers 401 without the cluster token, 404 for an unknown object, 400 for a bad selector', async () => {
    const c = clusters[0];
    const wrong = kubeConfig(c.url, 'not-the-token', c.caData).makeApiClient(
      CoreV1Api,
    );
    await expect(wrong.listNode()).rejects.toMatchObject({ code: 401 });
    const core = kubeConfig(c.url, c.token, c.caData).makeApiClient(CoreV1Api);
    await expect(
      core.readNamespace({ name: 'no-such-namespace' }),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      core.listNode({ fieldSelector: 'spec.unknownField=1' }),
    ).rejects.toMatchObject({ code: 400 });
    const res = await t.kubeFetch(`${c.url}/api/v1/nodes`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('reads custom resources: Argo CD, Istio, Kyverno, policy and vulnerability reports', async () => {
    const c = clusters[1];
    const custom = kubeConfig(c.url, c.token, c.caData).makeApiClient(
      CustomObjectsApi,
    );
    const pa = await custom.listClusterCustomObject({
      group: 'security.istio.io',
      version: 'v1',
      plural: 'peerauthentications',
    });
    expect(pa.items).toEqual([
      expect.objectContaining({ spec: { mtls: { mode: 'STRICT' } } }),
    ]);
    const policies = await custom.listClusterCustomObject({
      group: 'kyverno.io',
      version: 'v1',
      plural: 'clusterpolicies',
    });
    expect(
      policies.items.map((p: KubernetesObject) => p.metadata!.name),
    ).toContain('require-hipaa-compliant-label');
    const vulns = await custom.listClusterCustomObject({
      group: 'aquasecurity.github.io',
      version: 'v1alpha1',
      plural: 'vulnerabilityreports',
    });
    expect(
      vulns.items.every((v: any) => v.report.summary.criticalCount === 0),
    ).toBe(true);
  });

  it('streams a change made through the admin API to an informer', async () => {
    const c = clusters[0];
    const kc = kubeConfig(c.url, c.token, c.caData);
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Namespace>(kc, '/api/v1/namespaces', () =>
      core.listNamespace(),
    );
    const seen: string[] = [];
    informer.on('update', ns =>
      seen.push(
        `${ns.metadata!.name}=${
          ns.metadata!.labels!['pod-security.kubernetes.io/enforce']
        }`,
      ),
    );
    await informer.start();
    try {
      await t.admin('POST', `/clusters/${c.name}/compliance`, {
        break: 'pod-security',
      });
      await eventually(() => seen.includes('omnivision-models=baseline'));
      await t.admin(
        'DELETE',
        `/clusters/${c.name}/compliance?break=pod-security`,
      );
      await eventually(() => seen.includes('omnivision-models=restricted'));
      expect(seen.filter(x => x.startsWith('omnivision-models='))).toEqual([
        'omnivision-models=baseline',
        'omnivision-models=restricted',
      ]);
    } finally {
      await informer.stop();
    }
  });

  it('recovers an informer after an outage and a 410 Gone by listing again', async () => {
    const c = clusters[1];
    const kc = kubeConfig(c.url, c.token, c.caData);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const path = '/apis/security.istio.io/v1/peerauthentications';
    const informer = makeInformer<KubernetesObject>(
      kc,
      path,
      () =>
        custom.listClusterCustomObject({
          group: 'security.istio.io',
          version: 'v1',
          plural: 'peerauthentications',
        }) as any,
    );
    const errors: unknown[] = [];
    informer.on('error', error => errors.push(error));
    await informer.start();
    try {
      expect(informer.list().map(o => o.metadata!.name)).toEqual(['default']);

      // The API server goes down: the watch breaks and the informer reports an error.
      await t.admin('POST', `/clusters/${c.name}/faults`, { mode: 'down' });
      await eventually(() => errors.length > 0);

      // While it is down, mTLS is relaxed and the server forgets its watch history.
      await t.admin('POST', `/clusters/${c.name}/compliance`, {
        break: 'mtls',
      });
      await t.admin('POST', `/clusters/${c.name}/compact`);
      await t.admin('DELETE', `/clusters/${c.name}/faults`);

      // Restarted, the informer watches from its old version, gets 410 Gone, lists again.
      await informer.start();
      await eventually(() =>
        informer.list().some(o => o.metadata!.name === 'allow-plaintext'),
      );
    } finally {
      await informer.stop();
      await t.admin('DELETE', `/clusters/${c.name}/compliance?break=mtls`);
    }
  });

  it('answers a watch from a compacted version with an ERROR event carrying 410 Expired', async () => {
    const c = clusters[0];
    await t.admin('POST', `/clusters/${c.name}/compact`);
    const res = await t.kubeFetch(
      `${c.url}/api/v1/pods?watch=1&resourceVersion=1`,
      {
        headers: { authorization: `Bearer ${c.token}` },
      },
    );
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
        }),
      },
    ]);
  });

  it('sends bookmarks to a watch that allows them', async () => {
    const c = clusters[0];
    const controller = new AbortController();
    const res = await t.kubeFetch(
      `${c.url}/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion=999999999&timeoutSeconds=1`,
      {
        headers: { authorization: `Bearer ${c.token}` },
        signal: controller.signal,
      },
    );
    const events = (await res.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(
      events.some(
        e =>
          e.type === 'BOOKMARK' &&
          e.object.kind === 'Node' &&
          e.object.metadata.resourceVersion,
      ),
    ).toBe(true);
  });

  it('hangs, slows down and fails on demand, and stops when the fault is cleared', async () => {
    const c = clusters[0];
    const core = kubeConfig(c.url, c.token, c.caData).makeApiClient(CoreV1Api);
    await t.admin('POST', `/clusters/${c.name}/faults`, {
      mode: 'status',
      status: 503,
      resource: 'pods',
    });
    await expect(core.listPodForAllNamespaces()).rejects.toMatchObject({
      code: 503,
    });
    await expect(core.listNode()).resolves.toBeDefined();

    await t.admin('POST', `/clusters/${c.name}/faults`, {
      mode: 'latency',
      latencyMs: 300,
    });
    const started = Date.now();
    await core.listNamespace();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);

    await t.admin('POST', `/clusters/${c.name}/faults`, { mode: 'hang' });
    const hung = await Promise.race([
      t
        .kubeFetch(`${c.url}/api/v1/nodes`, {
          headers: { authorization: `Bearer ${c.token}` },
        })
        .then(
          () => 'answered',
          () => 'cut',
        ),
      new Promise(resolve => setTimeout(() => resolve('still waiting'), 500)),
    ]);
    expect(hung).toBe('still waiting');

    await t.admin('DELETE', `/clusters/${c.name}/faults`);
    await expect(core.listNamespace()).resolves.toBeDefined();
  });

  it('rejects bad admin requests with the reason and changes nothing', async () => {
    const bad = await fetch(`${t.url}/sandbox/clusters/eks-us-west-2/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'explode' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/mode/);
    const unknown = await fetch(`${t.url}/sandbox/clusters/nowhere/scale`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nodes: 3 }),
    });
    expect(unknown.status).toBe(404);
    expect((await t.admin('GET', '/clusters/eks-us-west-2')).fault).toBeNull();
  });

  it('counts LIST and WATCH requests apart, per cluster', async () => {
    await t.admin('DELETE', '/stats');
    const c = clusters[1];
    const core = kubeConfig(c.url, c.token, c.caData).makeApiClient(CoreV1Api);
    await core.listNode();
    await core.listNode();
    await core.readNamespace({ name: 'omnivision' });
    const stats = await t.admin('GET', '/stats');
    expect(stats.clusters[c.name].byVerb).toEqual({ LIST: 2, GET: 1 });
    expect(stats.clusters[c.name].byEndpoint['LIST /api/v1/nodes']).toBe(2);
    expect(stats.clusters[clusters[0].name].total).toBe(0);
  });
});
