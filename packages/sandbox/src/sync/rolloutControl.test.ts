import { Octokit } from '@octokit/rest';
import { applyMergePatch } from '../kubernetes/mergePatch';
import { startFastCanarySandbox } from '../testing/startTestSandbox';
import { eventually } from '../testing/eventually';
import { mergeModelValues } from '../testing/modelDeploys';

type TestSandbox = Awaited<ReturnType<typeof startFastCanarySandbox>>['t'];

const MODELS = 'omnivision-models';
const ROLLOUT = `/apis/argoproj.io/v1alpha1/namespaces/${MODELS}/rollouts/fraud-xl`;
const MERGE_PATCH = 'application/merge-patch+json';
const digestOf = (hex: string) => `sha256:${hex.repeat(64)}`;

/** Two canary steps, each with a 10-minute pause. */
const STEPS = [
  { setWeight: 50 },
  { pause: { duration: '10m' } },
  { setWeight: 100 },
  { pause: { duration: '10m' } },
];

describe('applyMergePatch (RFC 7386)', () => {
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j patched with %j is %j', (target, patch, result) => {
    expect(applyMergePatch(target, patch)).toEqual(result);
  });
});

describe("the sandbox Rollouts under Argo Rollouts' kubectl plugin's patches", () => {
  let t: TestSandbox;
  let endpoints: any;
  let eks: { url: string; token: string };

  beforeAll(async () => {
    ({ t, endpoints, eks } = await startFastCanarySandbox());
  });
  afterAll(() => t.stop());

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    contentType = MERGE_PATCH,
  ) => {
    const res = await t.kubeFetch(`${eks.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${eks.token}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      body:
        body === undefined || typeof body === 'string'
          ? (body as string | undefined)
          : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const rollout = async () => (await call('GET', ROLLOUT)).body;
  const images = async () =>
    (
      await call(
        'GET',
        `/api/v1/namespaces/${MODELS}/pods?labelSelector=omnivision.ai%2Fmodel%3Dfraud-xl`,
      )
    ).body.items
      .map((p: any) => `${p.spec.containers[0].image} ${p.status.phase}`)
      .sort();
  const pause = (paused: boolean) =>
    call('PATCH', ROLLOUT, { spec: { paused } });
  const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

  /** fraud-xl on the EKS cluster: 2 replicas of one GPU. */
  async function deploy(digest: string) {
    await mergeModelValues({
      endpoints,
      octokit: auth => new Octokit(auth),
      model: 'fraud-xl',
      cloud: 'aws',
      image: `registry.example/fraud-xl@${digest}`,
      replicas: 2,
      steps: STEPS,
    });
  }

  it('refuses what it does not apply, with the API server’s Status objects', async () => {
    await deploy(digestOf('a'));
    await eventually(async () => (await call('GET', ROLLOUT)).status === 200);

    const jsonPatch = await call(
      'PATCH',
      ROLLOUT,
      [{ op: 'replace', path: '/spec/paused', value: true }],
      'application/json-patch+json',
    );
    expect(jsonPatch).toMatchObject({
      status: 415,
      body: { kind: 'Status', reason: 'UnsupportedMediaType', code: 415 },
    });
    const missing = await call('PATCH', `${ROLLOUT}-gone`, {
      spec: { paused: true },
    });
    expect(missing).toMatchObject({
      status: 404,
      body: {
        kind: 'Status',
        reason: 'NotFound',
        message: 'rollouts.argoproj.io "fraud-xl-gone" not found',
        details: { name: 'fraud-xl-gone', group: 'argoproj.io' },
      },
    });
    const invalid = await call('PATCH', ROLLOUT, { spec: { paused: 'yes' } });
    expect(invalid).toMatchObject({
      status: 422,
      body: {
        kind: 'Status',
        reason: 'Invalid',
        details: {
          kind: 'Rollout',
          causes: [expect.objectContaining({ field: 'spec.paused' })],
        },
      },
    });
    expect((await call('PATCH', ROLLOUT, '{not json')).status).toBe(400);
    // Other kinds stay read-only.
    const pod = await call(
      'PATCH',
      `/api/v1/namespaces/${MODELS}/pods/anything`,
      { metadata: { labels: { a: 'b' } } },
    );
    expect(pod.status).toBe(405);
    expect((await rollout()).spec.paused).toBeUndefined();
  });

  it('holds a canary that spec.paused pauses at its step, and a promote moves it on to Healthy', async () => {
    await eventually(
      async () => (await rollout()).status?.phase === 'Healthy',
      20_000,
    );
    await deploy(digestOf('b'));
    const updating = await eventually(async () => {
      const r = await rollout();
      return r.metadata.annotations['rollout.argoproj.io/revision'] === '2'
        ? r
        : undefined;
    }, 20_000);
    const paused = await pause(true);
    expect(paused.status).toBe(200);
    // The updated object, status untouched by a patch of the object.
    expect(paused.body.spec.paused).toBe(true);
    expect(paused.body.status.currentPodHash).toBe(
      updating.status.currentPodHash,
    );
    const held = await eventually(async () => {
      const r = await rollout();
      return r.status.phase === 'Paused' ? r : undefined;
    }, 10_000);
    expect(held.status.message).toBe('manually paused');
    // Longer than its pauses: it stays where it was, Argo CD's sync keeping the live pause.
    await sleep(2_500);
    const still = await rollout();
    expect(still.spec.paused).toBe(true);
    expect(still.status).toMatchObject({
      phase: 'Paused',
      currentStepIndex: held.status.currentStepIndex,
    });
    expect(held.status.currentStepIndex).toBeLessThan(4);
    const app = await call(
      'GET',
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/model-fraud-xl-aws',
    );
    expect(app.body.status.health.status).toBe('Suspended');

    // Promote, as the plugin does: the next step on the status subresource, then unpause.
    const next = held.status.currentStepIndex + 1;
    const promoted = await call('PATCH', `${ROLLOUT}/status`, {
      status: { pauseConditions: null, currentStepIndex: next },
    });
    expect(promoted.status).toBe(200);
    // A patch of the status leaves the spec alone.
    expect(promoted.body.spec.paused).toBe(true);
    expect(promoted.body.status.currentStepIndex).toBe(next);
    expect((await pause(false)).status).toBe(200);
    const healthy = await eventually(async () => {
      const r = await rollout();
      return r.status.phase === 'Healthy' ? r : undefined;
    }, 20_000);
    expect(healthy.status.stableRS).toBe(updating.status.currentPodHash);
    const image = `registry.example/fraud-xl@${digestOf('b')} Running`;
    expect(await images()).toEqual([image, image]);
  }, 60_000);

  it('aborts an update on status.abort: the stable version serves every replica, until the template changes', async () => {
    await deploy(digestOf('c'));
    await eventually(async () => {
      const r = await rollout();
      return r.metadata.annotations['rollout.argoproj.io/revision'] === '3';
    }, 20_000);
    // Held first, so that the update is still running when the abort comes.
    await pause(true);
    const aborted = await call('PATCH', `${ROLLOUT}/status`, {
      status: { abort: true },
    });
    expect(aborted.status).toBe(200);
    const degraded = await eventually(async () => {
      const r = await rollout();
      return r.status.phase === 'Degraded' ? r : undefined;
    }, 10_000);
    expect(degraded.status).toMatchObject({
      abort: true,
      message: 'RolloutAborted: Rollout aborted update to revision 3',
      canary: { weights: { canary: { weight: 0 } } },
      conditions: [
        expect.objectContaining({
          type: 'Progressing',
          status: 'False',
          reason: 'RolloutAborted',
        }),
      ],
    });
    const stable = `registry.example/fraud-xl@${digestOf('b')} Running`;
    await eventually(
      async () =>
        JSON.stringify(await images()) === JSON.stringify([stable, stable]),
      10_000,
    );

    // Resumed and changed again, the next version goes to Healthy.
    await pause(false);
    await deploy(digestOf('d'));
    const healthy = await eventually(async () => {
      const r = await rollout();
      return r.status?.phase === 'Healthy' &&
        r.metadata.annotations['rollout.argoproj.io/revision'] === '4'
        ? r
        : undefined;
    }, 20_000);
    expect(healthy.status.abort).toBeUndefined();
  }, 60_000);
});
