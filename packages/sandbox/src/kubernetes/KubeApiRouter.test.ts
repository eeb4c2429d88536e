import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  V1Namespace,
  V1Pod,
  Watch,
  makeInformer,
  setHeaderOptions,
} from '@kubernetes/client-node';
import fs from 'node:fs';
import { startTestSandbox } from '../testing/startTestSandbox';
import { eventually } from '../testing/eventually';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

/** The metadata-only media types, as client-go's metadata client asks for them. */
const AS_METADATA_LIST =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const AS_METADATA =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/** client-node request options that send this `Accept` (its own `setHeaderOptions`). */
const accepting = (accept: string) => setHeaderOptions('Accept', accept);

/** A KubeConfig for client-node's Watch (which sets no Accept) that asks for `accept`. */
function acceptingKubeConfig(base: KubeConfig, accept: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: base.clusters,
    users: base.users,
    contexts: base.contexts,
    currentContext: base.currentContext,
  });
  const apply = kc.applyToFetchOptions.bind(kc);
  kc.applyToFetchOptions = async options => {
    const init = await apply(options);
    (init.headers as unknown as Headers).set('Accept', accept);
    return init;
  };
  return kc;
}

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

  describe('Secrets as metadata only (PartialObjectMetadata)', () => {
    const secretValues =
      /AKIAEXAMPLESANDBOX00|sandbox-not-a-real-secret|QUtJQUVYQU1QTEVTQU5EQk9YMDA|c2FuZGJveC1ub3QtYS1yZWFsLXNlY3JldA/;
    let c: (typeof clusters)[number];
    let kc: KubeConfig;
    let core: CoreV1Api;

    beforeAll(async () => {
      c = clusters[0];
      kc = kubeConfig(c.url, c.token, c.caData);
      core = kc.makeApiClient(CoreV1Api);
      await t.admin('POST', `/clusters/${c.name}/compliance`, {
        break: 'static-key',
      });
    });
    afterAll(() =>
      t.admin('DELETE', `/clusters/${c.name}/compliance?break=static-key`),
    );

    it('lists them as a PartialObjectMetadataList: metadata with managedFields, no data, stringData or type', async () => {
      const list: any = await core.listSecretForAllNamespaces(
        {},
        accepting(AS_METADATA_LIST),
      );
      expect(list).toMatchObject({
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: expect.any(String) },
      });
      expect(list.items.length).toBeGreaterThanOrEqual(2);
      for (const item of list.items) {
        expect(item.kind).toBe('PartialObjectMetadata');
        expect(item.apiVersion).toBe('meta.k8s.io/v1');
        expect(item.data).toBeUndefined();
        expect(item.stringData).toBeUndefined();
        expect(item.type).toBeUndefined();
      }
      const legacy = list.items.find(
        (i: any) => i.metadata.name === 'legacy-s3-credentials',
      );
      expect(legacy.metadata).toMatchObject({
        namespace: 'omnivision',
        labels: { app: 'omnivision-worker' },
        managedFields: [
          {
            manager: 'kubectl-create',
            operation: 'Update',
            apiVersion: 'v1',
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:data': {
                '.': {},
                'f:AWS_ACCESS_KEY_ID': {},
                'f:AWS_SECRET_ACCESS_KEY': {},
              },
              'f:type': {},
            },
          },
        ],
      });
      // Nothing of a value on the wire.
      const raw = await t.kubeFetch(`${c.url}/api/v1/secrets`, {
        headers: {
          authorization: `Bearer ${c.token}`,
          accept: AS_METADATA_LIST,
        },
      });
      expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await raw.text()).not.toMatch(secretValues);
    });

    it('pages a metadata list with limit and continue, and reads one Secret as PartialObjectMetadata', async () => {
      const first: any = await core.listSecretForAllNamespaces(
        { limit: 1 },
        accepting(AS_METADATA_LIST),
      );
      expect(first.kind).toBe('PartialObjectMetadataList');
      expect(first.items).toHaveLength(1);
      expect(first.metadata._continue ?? first.metadata.continue).toBeTruthy();
      const one: any = await core.readNamespacedSecret(
        { namespace: 'omnivision', name: 'legacy-s3-credentials' },
        accepting(AS_METADATA),
      );
      expect(one.kind).toBe('PartialObjectMetadata');
      expect(one.apiVersion).toBe('meta.k8s.io/v1');
      expect(one.data).toBeUndefined();
      expect(one.metadata.name).toBe('legacy-s3-credentials');
    });

    it('still serves the objects themselves to a client that asks for them', async () => {
      const list = await core.listSecretForAllNamespaces();
      expect(list.kind).toBe('SecretList');
      const legacy = list.items.find(
        i => i.metadata!.name === 'legacy-s3-credentials',
      )!;
      expect(legacy.type).toBe('Opaque');
      expect(Object.keys(legacy.data!)).toEqual([
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
      ]);
      // A Table is not served: a client that falls back to JSON gets the objects.
      const res = await t.kubeFetch(`${c.url}/api/v1/secrets`, {
        headers: {
          authorization: `Bearer ${c.token}`,
          accept:
            'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
        },
      });
      expect((await res.json()).kind).toBe('SecretList');
      // meta.k8s.io/v1beta1 is served too, as the API server still does.
      const beta = await t.kubeFetch(`${c.url}/api/v1/secrets`, {
        headers: {
          authorization: `Bearer ${c.token}`,
          accept:
            'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1',
        },
      });
      expect(await beta.json()).toMatchObject({
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1beta1',
      });
    });

    it('watches them as PartialObjectMetadata through client-node, bookmarks included', async () => {
      const list: any = await core.listSecretForAllNamespaces(
        {},
        accepting(AS_METADATA_LIST),
      );
      const events: Array<{ type: string; object: any }> = [];
      const watch = new Watch(acceptingKubeConfig(kc, AS_METADATA));
      let ended = false;
      const controller = await watch.watch(
        '/api/v1/secrets',
        {
          resourceVersion: list.metadata.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: 10,
        },
        (type, object) => events.push({ type, object }),
        () => {
          ended = true;
        },
      );
      try {
        await t.admin(
          'DELETE',
          `/clusters/${c.name}/compliance?break=static-key`,
        );
        await t.admin('POST', `/clusters/${c.name}/compliance`, {
          break: 'static-key',
        });
        await eventually(() =>
          events.some(
            e =>
              e.type === 'ADDED' &&
              e.object.metadata.name === 'legacy-s3-credentials',
          ),
        );
      } finally {
        controller.abort();
      }
      expect(ended).toBe(true);
      expect(events.map(e => e.type)).toEqual(
        expect.arrayContaining(['DELETED', 'ADDED']),
      );
      for (const e of events) {
        expect(e.object.kind).toBe('PartialObjectMetadata');
        expect(e.object.apiVersion).toBe('meta.k8s.io/v1');
        expect(e.object.data).toBeUndefined();
        expect(e.object.type).toBeUndefined();
      }
      expect(JSON.stringify(events)).not.toMatch(secretValues);

      const res = await t.kubeFetch(
        `${c.url}/api/v1/secrets?watch=true&allowWatchBookmarks=true&resourceVersion=999999999&timeoutSeconds=1`,
        {
          headers: { authorization: `Bearer ${c.token}`, accept: AS_METADATA },
        },
      );
      const bookmarks = (await res.text())
        .trim()
        .split('\n')
        .map(l => JSON.parse(l));
      expect(bookmarks[0]).toMatchObject({
        type: 'BOOKMARK',
        object: {
          kind: 'PartialObjectMetadata',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { resourceVersion: expect.any(String) },
        },
      });
    });

    it.each([
      [
        'a list asked for as PartialObjectMetadata',
        '/api/v1/secrets',
        AS_METADATA,
        /you requested PartialObjectMetadata, but the requested object is a list/,
      ],
      [
        'one object asked for as PartialObjectMetadataList',
        '/api/v1/namespaces/omnivision/secrets/legacy-s3-credentials',
        AS_METADATA_LIST,
        /you requested PartialObjectMetadataList, but the requested object is not a list/,
      ],
      [
        'a watch asked for as PartialObjectMetadataList',
        '/api/v1/secrets?watch=true&timeoutSeconds=1',
        AS_METADATA_LIST,
        /you requested PartialObjectMetadataList, but the requested object is not a list/,
      ],
      [
        'a Table alone (not served)',
        '/api/v1/secrets',
        'application/json;as=Table;v=v1;g=meta.k8s.io',
        /only the following media types are accepted/,
      ],
      [
        'an unknown version of the metadata',
        '/api/v1/secrets',
        'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v2',
        /only the following media types are accepted/,
      ],
      [
        'protobuf only',
        '/api/v1/secrets',
        'application/vnd.kubernetes.protobuf',
        /only the following media types are accepted/,
      ],
    ])(
      'answers 406 Not Acceptable to %s',
      async (_what, path, accept, message) => {
        const res = await t.kubeFetch(`${c.url}${path}`, {
          headers: { authorization: `Bearer ${c.token}`, accept },
        });
        expect(res.status).toBe(406);
        const body = await res.json();
        expect(body).toMatchObject({
          kind: 'Status',
          status: 'Failure',
          reason: 'NotAcceptable',
          code: 406,
        });
        expect(body.message).toMatch(message);
      },
    );

    it('counts reads of Secrets in full and as metadata apart, per cluster', async () => {
      await t.admin('DELETE', '/stats');
      await core.listSecretForAllNamespaces({}, accepting(AS_METADATA_LIST));
      await core.listSecretForAllNamespaces({}, accepting(AS_METADATA_LIST));
      await core.readNamespacedSecret(
        { namespace: 'omnivision', name: 'legacy-s3-credentials' },
        accepting(AS_METADATA),
      );
      await core.listSecretForAllNamespaces();
      const stats = await t.admin('GET', '/stats');
      expect(stats.clusters[c.name].byEndpoint).toEqual({
        'LIST /api/v1/secrets;as=PartialObjectMetadataList': 2,
        'GET /api/v1/namespaces/{namespace}/secrets/{name};as=PartialObjectMetadata': 1,
        'LIST /api/v1/secrets': 1,
      });
      expect(stats.clusters[c.name].byVerb).toEqual({ LIST: 3, GET: 1 });
    });
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
