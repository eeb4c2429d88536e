import { Octokit } from '@octokit/rest';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  V1Pod,
} from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { eventually, startTestSandbox } from '../testing/startTestSandbox';
import { commitFiles, mergeFiles } from '../testing/gitOpsChanges';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

function clients(cluster: { url: string; token: string }) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: cluster.url, skipTLSVerify: true }],
    users: [{ name: 'u', token: cluster.token }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return {
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
}

/** Values for one model as the portal renders them: 8 replicas of a whole A100 node each. */
function values(cloud: 'aws' | 'gcp') {
  return stringify({
    model: { name: 'vidgen-xl' },
    global: { cloudProvider: cloud },
    aiWorker: {
      image: `registry.example/vidgen-xl@sha256:${'a'.repeat(64)}`,
      replicas: 8,
      resources: { limits: { 'nvidia.com/gpu': 8 } },
      nodeAffinity:
        cloud === 'aws'
          ? {
              key: 'eks.amazonaws.com/nodegroup',
              operator: 'In',
              values: ['gpu-a100'],
            }
          : {
              key: 'cloud.google.com/gke-accelerator',
              operator: 'In',
              values: ['nvidia-tesla-a100'],
            },
      podLabels: { 'hipaa-compliant': 'true' },
    },
    rollout: {
      canary: {
        steps: [
          { setWeight: 5 },
          { pause: { duration: '10m' } },
          { setWeight: 50 },
          { pause: { duration: '30m' } },
        ],
      },
    },
  });
}

describe('the sandbox sync loop', () => {
  let t: TestSandbox;
  let endpoints: any;

  beforeAll(async () => {
    // 60,000× real time: the 10 and 30 minute canary pauses take 10 and 30 ms.
    t = await startTestSandbox({
      sync: { intervalMs: 50, autoscaleDelayMs: 300, clockFactor: 60_000 },
    });
    endpoints = await t.admin('GET', '/endpoints');
  });
  afterAll(() => t.stop());

  it('brings a merged values change to both clusters: pods appear, placeholders are preempted, the canary completes', async () => {
    const token = (role: string) =>
      endpoints.github.users.find((u: any) => u.role === role).token;
    const scientist = new Octokit({
      baseUrl: endpoints.github.apiBaseUrl,
      auth: token('data-scientist'),
    });
    const approver = new Octokit({
      baseUrl: endpoints.github.apiBaseUrl,
      auth: token('approver'),
    });
    const repo = { owner: endpoints.github.owner, repo: endpoints.github.repo };
    const eks = clients(
      endpoints.clusters.find((c: any) => c.name === 'eks-us-west-2'),
    );
    const gke = clients(
      endpoints.clusters.find((c: any) => c.name === 'gke-europe-west1'),
    );

    const placeholdersBefore = await eks.core.listNamespacedPod({
      namespace: 'warm-pool',
    });
    const a100 = new Set(
      (
        await eks.core.listNode({
          labelSelector: 'eks.amazonaws.com/nodegroup=gpu-a100',
        })
      ).items.map(n => n.metadata!.name),
    );
    const placeholdersOnA100 = placeholdersBefore.items
      .filter(p => a100.has(p.spec!.nodeName!))
      .map(p => p.metadata!.name);
    expect(placeholdersOnA100.length).toBeGreaterThan(0);

    // The request, as a pull request; approved by a code owner and merged.
    await commitFiles(scientist, repo, 'deploy/vidgen-xl', {
      'infrastructure/cluster-aws/models/vidgen-xl.yaml': values('aws'),
      'infrastructure/cluster-gcp/models/vidgen-xl.yaml': values('gcp'),
    });
    const pr = await scientist.pulls.create({
      ...repo,
      title: 'Deploy vidgen-xl',
      head: 'deploy/vidgen-xl',
      base: 'main',
    });

    // Nothing reaches the clusters before the merge.
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(
      (await eks.core.listNamespacedPod({ namespace: 'omnivision-models' }))
        .items,
    ).toEqual([]);

    await approver.pulls.createReview({
      ...repo,
      pull_number: pr.data.number,
      event: 'APPROVE',
    });
    const merge = await approver.pulls.merge({
      ...repo,
      pull_number: pr.data.number,
    });

    for (const { core } of [eks, gke]) {
      // Pods appear; the first replicas run at once, taking A100 nodes from the placeholders.
      await eventually(
        async () =>
          (
            await core.listNamespacedPod({
              namespace: 'omnivision-models',
              labelSelector: 'omnivision.ai/model=vidgen-xl',
            })
          ).items.length === 8,
        5000,
      );
    }
    const after = await eks.core.listNamespacedPod({ namespace: 'warm-pool' });
    const stillThere = new Set(after.items.map(p => p.metadata!.name));
    expect(
      placeholdersOnA100.filter(name => !stillThere.has(name)).length,
    ).toBeGreaterThan(0);
    // The placeholder Deployment recreates what was preempted.
    expect(after.items.length).toBe(placeholdersBefore.items.length);

    // More A100s than the cluster has: the autoscaler adds a node and every replica runs.
    const running = (pods: V1Pod[]) =>
      pods.filter(p => p.status!.phase === 'Running').length;
    await eventually(
      async () =>
        running(
          (
            await eks.core.listNamespacedPod({ namespace: 'omnivision-models' })
          ).items,
        ) === 8,
      10_000,
    );
    const added = await eks.core.listNode({
      labelSelector: 'omnivision.ai/added-by=cluster-autoscaler',
    });
    expect(added.items.length).toBeGreaterThan(0);
    const model = (
      await eks.core.listNamespacedPod({ namespace: 'omnivision-models' })
    ).items[0];
    expect(model.spec!.containers[0].resources!.limits!['nvidia.com/gpu']).toBe(
      '8',
    );
    expect(model.metadata!.labels!['hipaa-compliant']).toBe('true');

    // The canary runs through its steps; the Rollout and the Application end healthy at the merge.
    for (const { custom } of [eks, gke]) {
      await eventually(async () => {
        const rollout: any = await custom.getNamespacedCustomObject({
          group: 'argoproj.io',
          version: 'v1alpha1',
          namespace: 'omnivision-models',
          plural: 'rollouts',
          name: 'vidgen-xl',
        });
        return (
          rollout.status.phase === 'Healthy' &&
          rollout.status.canary.weights.canary.weight === 100
        );
      }, 10_000);
      const apps: any = await custom.listNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'argocd',
        plural: 'applications',
        labelSelector: 'omnivision.ai/model=vidgen-xl',
      });
      expect(apps.items).toHaveLength(1);
      expect(apps.items[0].status).toMatchObject({
        sync: { status: 'Synced', revision: merge.data.sha },
        health: { status: 'Healthy' },
      });
    }
  });

  it('reports a values file it cannot read, and applies nothing from it', async () => {
    const scientist = new Octokit({
      baseUrl: endpoints.github.apiBaseUrl,
      auth: endpoints.github.users.find((u: any) => u.role === 'data-scientist')
        .token,
    });
    const approver = new Octokit({
      baseUrl: endpoints.github.apiBaseUrl,
      auth: endpoints.github.users.find((u: any) => u.role === 'approver')
        .token,
    });
    const repo = { owner: endpoints.github.owner, repo: endpoints.github.repo };
    await mergeFiles({
      author: scientist,
      approver,
      repo,
      branch: 'bad',
      files: {
        'infrastructure/cluster-aws/models/Bad_Name.yaml': 'aiWorker: {}\n',
      },
    });
    const sync = await eventually(async () => {
      const s = await t.admin('GET', '/sync');
      return s.errors.length > 0 ? s : undefined;
    }, 5000);
    expect(sync.errors[0]).toMatch(/Bad_Name\.yaml: .*DNS-1123/);
    const eks = clients(
      endpoints.clusters.find((c: any) => c.name === 'eks-us-west-2'),
    );
    const rollouts: any = await eks.custom.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'omnivision-models',
      plural: 'rollouts',
    });
    expect(rollouts.items.map((r: any) => r.metadata.name)).toEqual([
      'vidgen-xl',
    ]);
  });
});
