import { ConfigReader } from '@backstage/config';
import type {
  DeploymentRequest,
  DeploymentRequestDetail,
} from '@internal/plugin-omnivision-common';
import { VERSIONS } from '@internal/plugin-omnivision-common/testUtils';
import {
  GitOpsPullRequests,
  PullRequestFile,
  gitOpsRepositoryLocator,
} from '@internal/plugin-omnivision-node';
import {
  eventually,
  portalGitHubIntegration,
  repositoryState,
} from '@internal/sandbox/testUtils';
import request from 'supertest';
import { parse } from 'yaml';
import {
  approveAndMerge,
  as,
  openRequest,
  userRef,
  viaTemplate,
} from '../__testUtils__/requestFlow';
import {
  DeploymentBackend,
  repo,
  startDeploymentBackend,
} from '../__testUtils__/startDeploymentBackend';

jest.setTimeout(240_000);

const MODEL = 'vidgen-versioned';
/** A model of the catalog the platform team owns, not data-science. */
const PLATFORM_MODEL = 'traffic-shaper';
const PATH = `infrastructure/cluster-aws/models/${MODEL}.yaml`;
const IMAGE = `registry.omnivision.ai/models/${MODEL}`;
// Versions as the catalog lists them: 2.2.0-rc.1 (unsigned), 2.1.0, 2.0.0.
const [, V21, V20] = VERSIONS;

/**
 * A model's life after its first deployment, against the sandbox (GitHub, the EKS cluster, Argo CD
 * and Argo Rollouts) and the backend as `make start` runs it: version 2.0.0 deployed and healthy;
 * an update to 2.1.0 (whose image the sandbox makes fail its canary analysis) reviewed as a diff
 * against what runs; the rollback to 2.0.0; the retirement, refused where the model does not run.
 */
describe("a model's update, rollback and retirement, as pull requests", () => {
  let backend: DeploymentBackend;
  let gitOps: GitOpsPullRequests;
  let cluster: { url: string; token: string };
  const maya = userRef('maya-chen');
  const deployment: DeploymentRequest = {
    model: `resource:default/${MODEL}`,
    version: V20.version,
    gpuProfile: 'a100-40gb-1',
    regions: ['us-west-2'],
    minReplicas: 1,
    // 17 GPUs at most: the team's quota (32) holds it once, not twice.
    maxReplicas: 17,
    rollout: 'canary',
  };
  const api = () => request(backend.server);
  /** The audit trail's events, read by the platform team. */
  const auditEvents = async (): Promise<any[]> =>
    (
      await api()
        .get('/api/omnivision/audit')
        .set('authorization', as(userRef('lena-fischer')))
    ).body.items;
  /** The rollback or retire template's check of a change, as maya. */
  const checkChange = (
    kind: 'rollback' | 'retire',
    regions: string[],
    model = MODEL,
  ) =>
    api()
      .post('/api/omnivision/requests/checks')
      .set('authorization', viaTemplate(maya))
      .send({ change: { kind, model: `resource:default/${model}`, regions } });

  const detail = async (n: number): Promise<DeploymentRequestDetail> =>
    (
      await api()
        .get(`/api/omnivision/requests/${n}`)
        .set('authorization', as(maya))
    ).body;

  const reachState = (n: number, state: string) =>
    eventually(
      async () =>
        (await detail(n)).progress.state === state ? true : undefined,
      { timeoutMs: 150_000, intervalMs: 500 },
    );

  /** What the rollback and retire templates do: the backend's plan, the pull request, the record. */
  async function openChange(
    kind: 'rollback' | 'retire',
    regions: string[],
  ): Promise<{ number: number; files: PullRequestFile[]; title: string }> {
    const change = { kind, model: `resource:default/${MODEL}`, regions };
    const planned = await api()
      .post('/api/omnivision/requests/checks')
      .set('authorization', viaTemplate(maya))
      .send({ change });
    expect(planned.status).toBe(200);
    const pull = await gitOps.openOrUpdate({
      branch: planned.body.branch,
      title: planned.body.title,
      body: planned.body.body,
      files: planned.body.files,
      labels: [kind === 'retire' ? 'retirement' : 'rollback'],
    });
    const recorded = await api()
      .post('/api/omnivision/requests')
      .set('authorization', viaTemplate(maya))
      .send({
        pullRequestNumber: pull.number,
        pullRequestUrl: pull.url,
        branch: planned.body.branch,
        change,
      });
    expect(recorded.status).toBe(201);
    expect(recorded.body.kind).toBe(kind);
    return {
      number: pull.number,
      files: planned.body.files,
      title: planned.body.title,
    };
  }

  /** The sandbox's own objects on the EKS cluster, read with its static token. */
  async function kube(path: string): Promise<any[]> {
    const response = await backend.sandbox.kubeFetch(`${cluster.url}${path}`, {
      headers: { authorization: `Bearer ${cluster.token}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()).items;
  }
  const selector = `labelSelector=${encodeURIComponent(
    `omnivision.ai/model=${MODEL}`,
  )}`;
  const modelPods = () => kube(`/api/v1/pods?${selector}`);
  const modelRollouts = () =>
    kube(`/apis/argoproj.io/v1alpha1/rollouts?${selector}`);
  const runningPlaceholders = async () =>
    (await kube('/api/v1/pods')).filter(
      p => (p.spec.priority ?? 0) < 0 && p.status?.phase === 'Running',
    ).length;

  let placeholdersBefore: number;
  let first: number;
  let update: number;

  beforeAll(async () => {
    backend = await startDeploymentBackend({ sandboxSyncMs: 200 });
    const { github, clusters } = await backend.sandbox.admin(
      'GET',
      '/endpoints',
    );
    cluster = clusters.find((c: any) => c.region === 'us-west-2');
    gitOps = GitOpsPullRequests.create({
      repository: gitOpsRepositoryLocator(
        new ConfigReader({
          integrations: { github: [portalGitHubIntegration(github)] },
          omnivision: {
            gitops: { host: new URL(github.apiBaseUrl).host, ...repo },
          },
        }),
      ),
    });
    placeholdersBefore = await eventually(
      async () => (await runningPlaceholders()) || undefined,
      30_000,
    );
  });
  afterAll(() => backend?.stop());

  it('deploys version 2.0.0 until healthy, and records the version it resolved', async () => {
    first = await openRequest(backend, 'maya-chen', deployment);
    await approveAndMerge(backend, first);
    await reachState(first, 'healthy');
    expect((await detail(first)).version).toBe(V20.version);
    expect((await modelPods()).length).toBeGreaterThan(0);
  });

  it("reviews an update as the diff from what runs now, the model's own GPUs on main counted once", async () => {
    // No version named: the newest signed one, 2.1.0.
    const updated = { ...deployment, version: '' };
    const preview = await api()
      .post('/api/omnivision/deployments/preview')
      .set('authorization', as(maya))
      .send(updated);
    expect(preview.status).toBe(200);
    expect(preview.body.violations).toEqual([]);
    const [file] = preview.body.files;
    expect(file.path).toBe(PATH);
    expect(file.status).toBe('modified');
    expect(file.diff).toContain(`--- a/${PATH}`);
    expect(file.diff).toContain(`-  image: ${IMAGE}@${V20.imageDigest}`);
    expect(file.diff).toContain(`+  image: ${IMAGE}@${V21.imageDigest}`);
    expect(file.diff).not.toContain('/dev/null');

    // 2.1.0 fails its canary analysis in the sandbox: the update is aborted, 2.0.0 keeps serving.
    await backend.sandbox.admin('POST', '/images/faults', {
      digest: V21.imageDigest,
      cudaErrorsPerMinute: 50,
    });
    // The admission tells the template the model runs there: its pull request is an update.
    const admitted = await api()
      .post('/api/omnivision/requests/checks')
      .set('authorization', viaTemplate(maya))
      .send({ request: updated });
    expect(admitted.body.runningIn).toEqual(['us-west-2']);
    update = await openRequest(backend, 'maya-chen', updated);
    expect((await detail(update)).version).toBe(V21.version);
    await approveAndMerge(backend, update);
    await reachState(update, 'failed');
  });

  it('rolls back to the version last recorded healthy, re-rendered through the policy, until healthy', async () => {
    const rollback = await openChange('rollback', ['us-west-2']);
    expect(rollback.title).toBe(
      `Roll back ${MODEL} to version ${V20.version} in us-west-2`,
    );
    const [file] = rollback.files as Array<{ path: string; content: string }>;
    expect(file.path).toBe(PATH);
    expect(parse(file.content).aiWorker.image).toBe(
      `${IMAGE}@${V20.imageDigest}`,
    );
    const recorded = await detail(rollback.number);
    expect(recorded).toMatchObject({
      kind: 'rollback',
      version: V20.version,
      maxReplicas: deployment.maxReplicas,
    });
    // The template again: the open rollback is the same request, its 17 GPUs counted once.
    const again = await checkChange('rollback', ['us-west-2']);
    expect(again.status).toBe(200);
    expect(again.body.gpus).toBe(17);
    await approveAndMerge(backend, rollback.number);
    await reachState(rollback.number, 'healthy');
    // Once merged, Git holds the healthy version: rolling back again has nothing to do.
    const noop = await checkChange('rollback', ['us-west-2']);
    expect(noop.status).toBe(400);
    expect(noop.body.error.message).toContain(
      `Git already holds version ${V20.version}, the version last recorded healthy there; nothing to roll back`,
    );
  });

  it("refuses a rollback or retirement of a model the person's teams do not own: 403, audited, nothing written", async () => {
    const before = await repositoryState(backend.octokit('maya-chen'), repo);
    for (const kind of ['rollback', 'retire'] as const) {
      const refused = await checkChange(kind, ['us-west-2'], PLATFORM_MODEL);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        `only group:default/platform-team, the owner of ${PLATFORM_MODEL}, may ${
          kind === 'retire' ? 'retire' : 'roll back'
        } it`,
      );
    }
    const audit = await auditEvents();
    expect(
      audit.filter(
        (e: any) =>
          e.action === 'request.created' &&
          e.outcome === 'refused' &&
          e.actor === maya &&
          e.model === PLATFORM_MODEL,
      ),
    ).toHaveLength(2);
    expect(await repositoryState(backend.octokit('maya-chen'), repo)).toEqual(
      before,
    );
  });

  it('refuses a rollback where the model was never healthy, and a retirement where it does not run; audited, nothing written', async () => {
    const before = await repositoryState(backend.octokit('maya-chen'), repo);
    for (const [change, message] of [
      [
        { kind: 'rollback', regions: ['europe-west1'] },
        `cannot roll back ${MODEL} in europe-west1: no request of it was ever recorded healthy there`,
      ],
      [
        { kind: 'retire', regions: ['us-west-2', 'europe-west1'] },
        `${MODEL} is not deployed in europe-west1: main has no infrastructure/cluster-gcp/models/${MODEL}.yaml`,
      ],
    ] as const) {
      const refused = await api()
        .post('/api/omnivision/requests/checks')
        .set('authorization', viaTemplate(maya))
        .send({ change: { ...change, model: `resource:default/${MODEL}` } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain(message);
    }
    const audit = await auditEvents();
    const refusals = audit.filter(
      (e: any) =>
        e.action === 'request.created' &&
        e.outcome === 'refused' &&
        e.model === MODEL,
    );
    expect(refusals.map((e: any) => e.reason)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('no request of it was ever recorded healthy'),
        expect.stringContaining('is not deployed in europe-west1'),
      ]),
    );
    expect(await repositoryState(backend.octokit('maya-chen'), repo)).toEqual(
      before,
    );
  });

  it('retires the model: the pull request removes its file; once merged its Rollout and pods are gone and the placeholders are back', async () => {
    const retirement = await openChange('retire', ['us-west-2']);
    expect(retirement.files).toEqual([{ path: PATH, delete: true }]);
    const files = await backend
      .octokit('maya-chen')
      .pulls.listFiles({ ...repo, pull_number: retirement.number });
    expect(files.data.map(f => [f.filename, f.status])).toEqual([
      [PATH, 'removed'],
    ]);
    await approveAndMerge(backend, retirement.number);
    await reachState(retirement.number, 'retired');
    const { progress } = await detail(retirement.number);
    expect(
      progress.timeline
        .filter(s => s.region)
        .map(s => `${s.stage} ${s.region} ${s.done}`),
    ).toEqual(['synced us-west-2 true', 'retired us-west-2 true']);
    expect(await modelRollouts()).toEqual([]);
    expect(await modelPods()).toEqual([]);
    expect(
      await eventually(
        async () =>
          (await runningPlaceholders()) >= placeholdersBefore
            ? true
            : undefined,
        30_000,
      ),
    ).toBe(true);
    const audit = await auditEvents();
    expect(
      audit.filter(
        (e: any) =>
          e.action === 'deployment.retired' &&
          e.pullRequestNumber === retirement.number,
      ),
    ).toHaveLength(1);
    // The requester hears of it once the observation is recorded (just after, on this replica).
    const retired = await eventually(() => {
      const sent = backend.notifications.filter(
        n =>
          n.payload.title === `${MODEL} is retired` &&
          JSON.stringify(n.recipients).includes(maya),
      );
      return sent.length > 0 ? sent : undefined;
    }, 10_000);
    expect(retired.map(n => n.payload.description)).toEqual([
      `Request #${retirement.number}: ${MODEL} no longer runs in us-west-2; its GPUs are back in the warm pool.`,
    ]);
  });
});
