import {
  DIGEST,
  requestFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import { eventually, mergeModelValues } from '@internal/sandbox/testUtils';
import { Octokit } from '@octokit/rest';
import request from 'supertest';
import {
  approveAndMerge,
  as,
  openRequest,
  userRef,
} from '../__testUtils__/requestFlow';
import {
  DeploymentBackend,
  startDeploymentBackend,
} from '../__testUtils__/startDeploymentBackend';

jest.setTimeout(180_000);

const maya = userRef('maya-chen');
const MODELS = 'omnivision-models';
const REPOSITORY = 'registry.omnivision.ai/models/vidgen-xl';
/** Version 1, deployed straight through Git; version 2 (the fixtures' digest) through a request. */
const V1 = `${REPOSITORY}@sha256:${'1'.repeat(64)}`;
const V2 = `${REPOSITORY}@${DIGEST}`;

describe('what the portal shows of a model whose update its GPU health check aborted, against the sandbox', () => {
  let backend: DeploymentBackend;
  let endpoints: any;
  let eks: { url: string; token: string };
  const api = () => request(backend.server);

  beforeAll(async () => {
    // The sandbox at 600× real time: the analysis measures every 100 ms, a 10-minute pause is 1 s.
    backend = await startDeploymentBackend({ sandboxSyncMs: 200 });
    endpoints = await backend.sandbox.admin('GET', '/endpoints');
    eks = endpoints.clusters.find((c: any) => c.name === 'eks-us-west-2');
  });

  afterAll(() => backend?.stop());

  /** vidgen-xl's deployment in us-west-2, as `GET /models/vidgen-xl/deployments` shows it. */
  const inUsWest2 = async () => {
    const res = await api()
      .get('/api/omnivision/models/vidgen-xl/deployments')
      .set('authorization', as(maya));
    expect(res.status).toBe(200);
    return res.body.deployments.find((d: any) => d.region === 'us-west-2');
  };
  /** The images of vidgen-xl's pods on the EKS cluster (ground truth, the sandbox's static token). */
  const podImages = async () => {
    const res = await backend.sandbox.kubeFetch(
      `${eks.url}/api/v1/namespaces/${MODELS}/pods?labelSelector=omnivision.ai%2Fmodel%3Dvidgen-xl`,
      { headers: { authorization: `Bearer ${eks.token}` } },
    );
    return ((await res.json()) as any).items.map(
      (p: any) => `${p.spec.containers[0].image} ${p.status.phase}`,
    );
  };

  it('shows the abort reason with its evidence, the stable version serving and the drift; the request says why and its requester is told', async () => {
    // Version 1 runs in us-west-2: Git and the cluster agree.
    await mergeModelValues({
      endpoints,
      octokit: auth => new Octokit(auth),
      model: 'vidgen-xl',
      cloud: 'aws',
      image: V1,
      replicas: 2,
      steps: [{ setWeight: 50 }, { pause: { duration: '10m' } }],
    });
    const healthy = await eventually(async () => {
      const d = await inUsWest2();
      return d?.rolloutPhase === 'Healthy' && d.stableImage ? d : undefined;
    }, 60_000);
    expect(healthy).toMatchObject({ wantedImage: V1, stableImage: V1 });
    expect(healthy.canaryImage).toBeUndefined();
    expect(healthy.drift).toBeUndefined();
    expect(healthy.abortReason).toBeUndefined();

    // Version 2's pods report 50 XID errors a minute; maya asks for it, lena approves and merges.
    await backend.sandbox.admin('POST', '/images/faults', {
      digest: DIGEST,
      cudaErrorsPerMinute: 50,
    });
    const number = await openRequest(
      backend,
      'maya-chen',
      requestFixture({ regions: ['us-west-2'], minReplicas: 2 }),
    );
    await approveAndMerge(backend, number);

    // The canary's analysis aborts the update; the portal says why, with the evidence.
    const aborted = await eventually(async () => {
      const d = await inUsWest2();
      return d?.abortReason && d.analysis?.phase === 'Failed' ? d : undefined;
    }, 90_000);
    const { analysis } = aborted;
    expect(analysis).toMatchObject({
      metric: 'gpu-health-check',
      template: 'vidgen-xl-gpu-health-check',
      condition: 'result[0] <= 0',
      message:
        'Metric "gpu-health-check" assessed Failed due to failed (2) > failureLimit (1)',
    });
    // The query as Prometheus ran it: the canary's pods, the run's arguments in place.
    expect(analysis.query).toContain(`namespace="${MODELS}"`);
    expect(analysis.query).toMatch(/pod=~"vidgen-xl-[0-9a-f]{10}-\.\*"/);
    expect(analysis.query).not.toContain('{{');
    // It ran at the step the Rollout stopped at.
    expect(analysis.step).toBe(aborted.canaryStep);
    const value = Number(/^\[(.+)\]$/.exec(analysis.value)![1]);
    expect(value).toBeGreaterThan(0);
    expect(aborted.abortReason).toBe(
      `gpu-health-check failed at step ${analysis.step}: ${value} breaks result[0] <= 0`,
    );
    expect(aborted).toMatchObject({
      rolloutPhase: 'Degraded',
      wantedImage: V2,
      stableImage: V1,
      drift: `Git wants ${V2}, the stable pods run ${V1}: its update was aborted`,
    });
    expect(aborted.canaryImage).toBeUndefined();
    // Version 1 keeps serving every replica.
    await eventually(
      async () =>
        JSON.stringify(await podImages()) ===
        JSON.stringify([`${V1} Running`, `${V1} Running`]),
      20_000,
    );

    // The request failed, and its timeline and the requester's notification say why.
    const failed = await eventually(async () => {
      const res = await api()
        .get(`/api/omnivision/requests/${number}`)
        .set('authorization', as(maya));
      return res.body.progress?.state === 'failed' ? res.body : undefined;
    }, 30_000);
    const why = `${aborted.abortReason} (query: ${analysis.query})`;
    expect(
      failed.progress.timeline.find((s: any) => s.stage === 'failed'),
    ).toMatchObject({ region: 'us-west-2', done: true, detail: why });
    const told = backend.notifications.filter(n =>
      n.payload.scope?.endsWith(`-${number}-failed-us-west-2`),
    );
    expect(told).toEqual([
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: [maya] },
        payload: expect.objectContaining({
          severity: 'high',
          description: `The rollout of request #${number} failed in us-west-2: ${why}`,
        }),
      }),
    ]);
  });
});
