import { Octokit } from '@octokit/rest';
import { CoreV1Api, CustomObjectsApi, V1Pod } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { GITOPS_SEED_DIR } from '../github/seedGitOpsRepository';
import { startTestSandbox } from '../testing/startTestSandbox';
import { clusterKubeConfig } from '../testing/clusterKubeConfig';
import { eventually } from '../testing/eventually';
import {
  commitFiles,
  mergeFiles,
  postPortalApproval,
} from '../testing/gitOpsChanges';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

function clients(cluster: { url: string; token: string; caData: string }) {
  const kc = clusterKubeConfig(cluster);
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

  /** A data scientist and an approver on the sandbox's GitHub, and the GitOps repository. */
  function gitHub() {
    const as = (role: string) =>
      new Octokit({
        baseUrl: endpoints.github.apiBaseUrl,
        auth: endpoints.github.users.find((u: any) => u.role === role).token,
      });
    return {
      scientist: as('data-scientist'),
      approver: as('approver'),
      repo: { owner: endpoints.github.owner, repo: endpoints.github.repo },
    };
  }

  it('brings a merged values change to both clusters: pods appear, placeholders are preempted, the canary completes', async () => {
    const { scientist, approver, repo } = gitHub();
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

    // The request, as a pull request; approved by a code owner and the portal, and merged.
    const head = await commitFiles(scientist, repo, 'deploy/vidgen-xl', {
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
    await postPortalApproval(scientist, repo, head);
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
  }, 60_000);

  it('runs the Rollout that helm template renders from main, image, GPU limits and affinity included', async () => {
    const eks = clients(
      endpoints.clusters.find((c: any) => c.name === 'eks-us-west-2'),
    );
    const rollout: any = await eks.custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'omnivision-models',
      plural: 'rollouts',
      name: 'vidgen-xl',
    });
    // Helm itself, on the project's chart and the file as merged: not the sandbox's renderer.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'argo-sync-test-'));
    const valuesFile = path.join(dir, 'vidgen-xl.yaml');
    await fs.writeFile(valuesFile, values('aws'));
    const { stdout } = await promisify(execFile)(
      process.env.HELM_BIN ?? 'helm',
      [
        'template',
        'vidgen-xl',
        path.join(GITOPS_SEED_DIR, 'charts/omnivision-platform'),
        '--namespace',
        'omnivision-models',
        '-f',
        path.join(
          GITOPS_SEED_DIR,
          'infrastructure/cluster-aws/values-overrides.yaml',
        ),
        '-f',
        valuesFile,
        '--set-string',
        'model.name=vidgen-xl',
      ],
    );
    await fs.rm(dir, { recursive: true });
    const rendered = parseAllDocuments(stdout)
      .map(d => d.toJS())
      .find(o => o?.kind === 'Rollout');
    expect(rollout.spec).toEqual(rendered.spec);
    const container = rollout.spec.template.spec.containers[0];
    expect(container.image).toBe(
      `registry.example/vidgen-xl@sha256:${'a'.repeat(64)}`,
    );
    expect(container.resources.limits).toEqual({ 'nvidia.com/gpu': '8' });
    expect(
      rollout.spec.template.spec.affinity.nodeAffinity
        .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]
        .matchExpressions[0],
    ).toEqual({
      key: 'eks.amazonaws.com/nodegroup',
      operator: 'In',
      values: ['gpu-a100'],
    });
    // The pods run that template.
    const pods = await eks.core.listNamespacedPod({
      namespace: 'omnivision-models',
      labelSelector: 'omnivision.ai/model=vidgen-xl',
    });
    expect(new Set(pods.items.map(p => p.spec!.containers[0].image))).toEqual(
      new Set([container.image]),
    );
    // The AI worker of seed 001 runs from the chart on every cluster, with its cloud identity.
    const worker: any = await eks.custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'omnivision',
      plural: 'rollouts',
      name: 'omnivision-worker',
    });
    expect(worker.status.phase).toBe('Healthy');
    const serviceAccount = await eks.core.readNamespacedServiceAccount({
      namespace: 'omnivision',
      name: 'omnivision-worker',
    });
    expect(
      serviceAccount.metadata!.annotations!['eks.amazonaws.com/role-arn'],
    ).toMatch(/^arn:aws:iam::/);
  }, 60_000);

  it('gives an Application whose values do not render a ComparisonError, and changes nothing else', async () => {
    const { scientist, approver, repo } = gitHub();
    const eks = clients(
      endpoints.clusters.find((c: any) => c.name === 'eks-us-west-2'),
    );
    const gke = clients(
      endpoints.clusters.find((c: any) => c.name === 'gke-europe-west1'),
    );
    const rolloutOf = (c: ReturnType<typeof clients>) =>
      c.custom.getNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'omnivision-models',
        plural: 'rollouts',
        name: 'vidgen-xl',
      }) as Promise<any>;
    const applicationOf = (c: ReturnType<typeof clients>, name: string) =>
      c.custom.getNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'argocd',
        plural: 'applications',
        name,
      }) as Promise<any>;
    const before = await rolloutOf(eks);
    const podsBefore = (
      await eks.core.listNamespacedPod({ namespace: 'omnivision-models' })
    ).items.map(p => p.metadata!.name);
    const revisionBefore = (await applicationOf(eks, 'model-vidgen-xl-aws'))
      .status.sync.revision;

    // A tag instead of a digest on AWS; the GCP file changes to a valid new image.
    const broken = values('aws').replace(
      `registry.example/vidgen-xl@sha256:${'a'.repeat(64)}`,
      'registry.example/vidgen-xl:latest',
    );
    const fixedGcp = values('gcp').replace('a'.repeat(64), 'c'.repeat(64));
    const merge = await mergeFiles({
      author: scientist,
      approver,
      repo,
      branch: 'bad',
      files: {
        'infrastructure/cluster-aws/models/vidgen-xl.yaml': broken,
        'infrastructure/cluster-gcp/models/vidgen-xl.yaml': fixedGcp,
      },
    });

    const failed = await eventually(async () => {
      const app = await applicationOf(eks, 'model-vidgen-xl-aws');
      return app.status.conditions ? app : undefined;
    }, 10_000);
    expect(failed.status.conditions).toEqual([
      expect.objectContaining({
        type: 'ComparisonError',
        message: expect.stringMatching(
          /aiWorker\/image.*does not match pattern/,
        ),
      }),
    ]);
    expect(failed.status.sync).toEqual({
      status: 'Unknown',
      revision: revisionBefore,
    });
    const sync = await t.admin('GET', '/sync');
    expect(sync.errors).toEqual([
      expect.stringMatching(/^model-vidgen-xl-aws \(eks-us-west-2\): /),
    ]);

    // The AWS Rollout and its pods are untouched; the GCP one moves on; the worker syncs.
    expect(await rolloutOf(eks)).toMatchObject({
      metadata: { resourceVersion: expect.any(String) },
      spec: before.spec,
    });
    expect(
      (
        await eks.core.listNamespacedPod({ namespace: 'omnivision-models' })
      ).items.map(p => p.metadata!.name),
    ).toEqual(podsBefore);
    await eventually(
      async () =>
        (await rolloutOf(gke)).spec.template.spec.containers[0].image ===
        `registry.example/vidgen-xl@sha256:${'c'.repeat(64)}`,
      10_000,
    );
    await eventually(
      async () =>
        (
          await applicationOf(eks, 'omnivision-platform')
        ).status.sync.revision === merge.mergeSha,
      10_000,
    );
  }, 60_000);

  it('re-applies what Argo CD runs before a scaled cluster answers, so its counts are settled', async () => {
    const scaled = await t.admin('POST', '/clusters/gke-europe-west1/scale', {
      nodes: 40,
      pods: 500,
    });
    const gke = clients(
      endpoints.clusters.find((c: any) => c.name === 'gke-europe-west1'),
    );
    const pods = await gke.core.listPodForAllNamespaces();
    expect(scaled.objects['v1/pods']).toBe(pods.items.length);
    // The worker's and the model's pods are back in the answer already.
    expect(
      pods.items.filter(p => p.metadata!.labels?.app === 'omnivision-worker'),
    ).toHaveLength(4);
    expect(scaled.objects['argoproj.io/v1alpha1/rollouts']).toBe(2);
  }, 60_000);

  it('keeps what a cluster folder runs when its argo-app.yaml stops parsing, with a ComparisonError', async () => {
    const { scientist, approver, repo } = gitHub();
    const eks = clients(
      endpoints.clusters.find((c: any) => c.name === 'eks-us-west-2'),
    );
    const workerPods = async () =>
      (
        await eks.core.listNamespacedPod({
          namespace: 'omnivision',
          labelSelector: 'app=omnivision-worker',
        })
      ).items.map(p => p.metadata!.name);
    const before = await workerPods();
    expect(before).toHaveLength(4);
    await mergeFiles({
      author: scientist,
      approver,
      repo,
      branch: 'broken-app',
      files: { 'infrastructure/cluster-aws/argo-app.yaml': 'kind: [\n' },
    });
    const app = await eventually(async () => {
      const a: any = await eks.custom.getNamespacedCustomObject({
        group: 'argoproj.io',
        version: 'v1alpha1',
        namespace: 'argocd',
        plural: 'applications',
        name: 'omnivision-platform',
      });
      return a.status.conditions ? a : undefined;
    }, 10_000);
    expect(app.status.conditions[0]).toMatchObject({
      type: 'ComparisonError',
      message: expect.stringContaining(
        'infrastructure/cluster-aws/argo-app.yaml',
      ),
    });
    expect(app.status.sync.status).toBe('Unknown');
    // Nothing was pruned: the worker and the model keep running on the cluster.
    expect(await workerPods()).toEqual(before);
    const rollouts: any = await eks.custom.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: 'omnivision-models',
      plural: 'rollouts',
    });
    expect(rollouts.items.map((r: any) => r.metadata.name)).toEqual([
      'vidgen-xl',
    ]);
  }, 60_000);
});
