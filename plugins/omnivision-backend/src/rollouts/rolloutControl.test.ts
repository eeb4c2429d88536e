import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { omnivisionRolloutControlPermission } from '@internal/plugin-omnivision-common';
import { eventually, mergeModelValues } from '@internal/sandbox/testUtils';
import { Octokit } from '@octokit/rest';
import request from 'supertest';
import { as, userRef } from '../__testUtils__/requestFlow';
import {
  DeploymentBackend,
  startDeploymentBackend,
} from '../__testUtils__/startDeploymentBackend';

jest.setTimeout(120_000);

const maya = userRef('maya-chen');
const lena = userRef('lena-fischer');
const MODELS = 'omnivision-models';
const ROLLOUT = `/apis/argoproj.io/v1alpha1/namespaces/${MODELS}/rollouts/vidgen-xl`;
const digestOf = (hex: string) => `sha256:${hex.repeat(64)}`;

describe("the platform team's control of a canary, against the sandbox", () => {
  let backend: DeploymentBackend;
  let endpoints: any;
  let eks: { url: string; token: string };
  const api = () => request(backend.server);

  beforeAll(async () => {
    backend = await startDeploymentBackend({
      sandboxSyncMs: 200,
      features: [
        // The portal's policy on canaries: the platform team only.
        mockServices.permissions.mock({
          authorize: async (requests, options) =>
            requests.map(r => ({
              result:
                r.permission.name === omnivisionRolloutControlPermission.name &&
                (options?.credentials.principal as any).userEntityRef !== lena
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    endpoints = await backend.sandbox.admin('GET', '/endpoints');
    eks = endpoints.clusters.find((c: any) => c.name === 'eks-us-west-2');
  });

  afterAll(() => backend?.stop());

  /** The Rollout as the cluster has it (ground truth, with the sandbox's static token). */
  const rollout = async () => {
    const res = await backend.sandbox.kubeFetch(`${eks.url}${ROLLOUT}`, {
      headers: { authorization: `Bearer ${eks.token}` },
    });
    return (await res.json()) as any;
  };
  const control = (user: string, action: unknown, region = 'us-west-2') =>
    api()
      .post(`/api/omnivision/models/vidgen-xl/rollouts/${region}`)
      .set('authorization', as(user))
      .send({ action });
  const audited = async (action: string, outcome: string) =>
    (
      await api()
        .get(`/api/omnivision/audit?action=${action}&outcome=${outcome}`)
        .set('authorization', as(lena))
    ).body.items.map((e: any) => ({
      actor: e.actor,
      outcome: e.outcome,
      model: e.model,
      region: e.region,
    }));

  /** An attempt as the audit trail shows it. */
  const event = (
    actor: string,
    outcome: string,
    model = 'vidgen-xl',
    region = 'us-west-2',
  ) => ({ actor, outcome, model, region });

  /** vidgen-xl on the EKS cluster (us-west-2): 2 replicas, two steps with 10-minute pauses. */
  async function deploy(digest: string) {
    await mergeModelValues({
      endpoints,
      octokit: auth => new Octokit(auth),
      model: 'vidgen-xl',
      cloud: 'aws',
      image: `registry.omnivision.ai/models/vidgen-xl@${digest}`,
      replicas: 2,
      steps: [
        { setWeight: 50 },
        { pause: { duration: '10m' } },
        { setWeight: 100 },
        { pause: { duration: '10m' } },
      ],
    });
  }
  /** Waits for revision `n` of the Rollout, and for the portal's fleet cache to know it. */
  async function revision(n: number) {
    const r = await eventually(async () => {
      const live = await rollout();
      return live.metadata?.annotations?.['rollout.argoproj.io/revision'] ===
        String(n)
        ? live
        : undefined;
    }, 30_000);
    await eventually(async () => {
      const res = await api()
        .get('/api/omnivision/models/vidgen-xl/deployments')
        .set('authorization', as(maya));
      return res.body.deployments?.some((d: any) => d.region === 'us-west-2');
    }, 30_000);
    return r;
  }

  it('refuses bad input with 400 and a model deployed nowhere in the region with 404', async () => {
    const unknownAction = await control(lena, 'rollback');
    expect(unknownAction.status).toBe(400);
    expect(unknownAction.body.error.message).toBe(
      'invalid rollout control: action must be one of promote, abort, pause, resume',
    );
    const unknownRegion = await control(lena, 'pause', 'mars-north-1');
    expect(unknownRegion.status).toBe(400);
    expect(unknownRegion.body.error.message).toMatch(
      /^unknown region "mars-north-1": the fleet's regions are /,
    );
    const badModel = await api()
      .post('/api/omnivision/models/Not_A_Model/rollouts/us-west-2')
      .set('authorization', as(lena))
      .send({ action: 'pause' });
    expect(badModel.status).toBe(400);
    const nowhere = await control(lena, 'pause');
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.error.message).toBe(
      'vidgen-xl is not deployed in us-west-2',
    );
    // Each attempt is in the trail, refused: one without a known action as rollout.control.
    expect(await audited('rollout.control', 'refused')).toEqual([
      event(lena, 'refused'),
    ]);
    expect(await audited('rollout.pause', 'refused')).toEqual([
      event(lena, 'refused', 'vidgen-xl', 'mars-north-1'),
      event(lena, 'refused', 'Not_A_Model'),
      event(lena, 'refused'),
    ]);
  });

  it("refuses a data scientist's promote with 403, audited, and leaves the Rollout alone", async () => {
    await deploy(digestOf('a'));
    await revision(1);
    const before = await rollout();
    const res = await control(maya, 'promote');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'only platform-team may promote, abort, pause or resume a canary',
    );
    expect(await audited('rollout.promote', 'refused')).toEqual([
      event(maya, 'refused'),
    ]);
    const after = await rollout();
    expect(after.spec.paused).toBeUndefined();
    expect(after.status.currentStepIndex).toBeGreaterThanOrEqual(
      before.status.currentStepIndex,
    );
    await eventually(
      async () => (await rollout()).status?.phase === 'Healthy',
      30_000,
    );
  });

  it("holds an update at its step on the platform team's pause, and a promote finishes it", async () => {
    await deploy(digestOf('b'));
    const updating = await revision(2);
    const paused = await control(lena, 'pause');
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      model: 'vidgen-xl',
      region: 'us-west-2',
      cluster: 'eks-us-west-2',
      action: 'pause',
      rollout: { namespace: MODELS, name: 'vidgen-xl' },
    });
    const held = await eventually(async () => {
      const r = await rollout();
      return r.status.phase === 'Paused' ? r : undefined;
    }, 10_000);
    expect(held.spec.paused).toBe(true);
    expect(held.status.message).toBe('manually paused');
    // Longer than both pauses of the canary: it stays at its step.
    await new Promise(resolve => setTimeout(resolve, 2_500));
    const still = await rollout();
    expect(still.status).toMatchObject({
      phase: 'Paused',
      currentStepIndex: held.status.currentStepIndex,
      currentPodHash: updating.status.currentPodHash,
    });
    expect(still.status.currentStepIndex).toBeLessThan(4);

    const promoted = await control(lena, 'promote');
    expect(promoted.status).toBe(200);
    const healthy = await eventually(async () => {
      const r = await rollout();
      return r.status.phase === 'Healthy' ? r : undefined;
    }, 30_000);
    expect(healthy.spec.paused).toBeUndefined();
    expect(healthy.status.stableRS).toBe(updating.status.currentPodHash);
    expect(await audited('rollout.pause', 'succeeded')).toEqual([
      event(lena, 'succeeded'),
    ]);
    expect(await audited('rollout.promote', 'succeeded')).toEqual([
      event(lena, 'succeeded'),
    ]);
  });

  it('aborts an update: Degraded, canary weight 0, the stable version back', async () => {
    const stableHash = (await rollout()).status.stableRS;
    await deploy(digestOf('c'));
    await revision(3);
    // Held, so that the update still runs when the abort comes.
    expect((await control(lena, 'pause')).status).toBe(200);
    const res = await control(lena, 'abort');
    expect(res.status).toBe(200);
    const degraded = await eventually(async () => {
      const r = await rollout();
      return r.status.phase === 'Degraded' ? r : undefined;
    }, 10_000);
    expect(degraded.status).toMatchObject({
      abort: true,
      message: 'RolloutAborted: Rollout aborted update to revision 3',
      stableRS: stableHash,
      canary: { weights: { canary: { weight: 0 } } },
    });
    expect(await audited('rollout.abort', 'succeeded')).toEqual([
      event(lena, 'succeeded'),
    ]);
    // Resume lifts the pause; the update stays aborted until the next change.
    expect((await control(lena, 'resume')).status).toBe(200);
    await eventually(
      async () => (await rollout()).spec.paused === undefined,
      10_000,
    );
    expect((await rollout()).status.phase).toBe('Degraded');
  });
});
