import { Octokit } from '@octokit/rest';
import { startFastCanarySandbox } from '../testing/startTestSandbox';
import { eventually } from '../testing/eventually';
import { mergeModelValues } from '../testing/modelDeploys';

type TestSandbox = Awaited<ReturnType<typeof startFastCanarySandbox>>['t'];

const MODELS = 'omnivision-models';
const digestOf = (hex: string) => `sha256:${hex.repeat(64)}`;

describe('the canary analysis of the sandbox Rollouts', () => {
  let t: TestSandbox;
  let endpoints: any;
  let eks: { url: string; token: string };

  beforeAll(async () => {
    ({ t, endpoints, eks } = await startFastCanarySandbox());
  });
  afterAll(() => t.stop());

  const get = async (path: string) => {
    const res = await t.kubeFetch(`${eks.url}${path}`, {
      headers: { authorization: `Bearer ${eks.token}` },
    });
    return (await res.json()) as any;
  };
  const rollout = () =>
    get(`/apis/argoproj.io/v1alpha1/namespaces/${MODELS}/rollouts/fraud-xl`);
  const analysisRuns = async () =>
    (await get(`/apis/argoproj.io/v1alpha1/namespaces/${MODELS}/analysisruns`))
      .items;
  const pods = async () =>
    (
      await get(
        `/api/v1/namespaces/${MODELS}/pods?labelSelector=omnivision.ai%2Fmodel%3Dfraud-xl`,
      )
    ).items;
  /** Argo CD's `status.summary.images` of the model's Application. */
  const applicationImages = async () =>
    (
      await get(
        '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/model-fraud-xl-aws',
      )
    ).status?.summary?.images;
  const imageOf = (hex: string) => `registry.example/fraud-xl@${digestOf(hex)}`;
  const images = async () =>
    (await pods()).map(
      (p: any) => `${p.spec.containers[0].image} ${p.status.phase}`,
    );

  /** fraud-xl at `digest`, its canary pausing `pause` (of the sandbox's compressed clock) at 50%. */
  async function deploy(digest: string, pause = '10m') {
    await mergeModelValues({
      endpoints,
      octokit: auth => new Octokit(auth),
      // On the EKS cluster: 2 replicas of one GPU, a 50% canary step and a pause.
      model: 'fraud-xl',
      cloud: 'aws',
      image: `registry.example/fraud-xl@${digest}`,
      replicas: 2,
      steps: [{ setWeight: 50 }, { pause: { duration: pause } }],
    });
  }

  it('aborts the canary of a faulty image while the stable version keeps serving, and proceeds once the fault is cleared', async () => {
    // The first version, without fault, goes to Healthy through its steps.
    await deploy(digestOf('a'));
    await eventually(
      async () => (await rollout()).status?.phase === 'Healthy',
      20_000,
    );
    const stable = await rollout();
    expect(stable.status.canary.weights.canary.weight).toBe(100);
    const stableNames: string[] = (await pods()).map(
      (p: any) => p.metadata.name,
    );
    // Argo CD's summary lists the images its live pods run.
    expect(await applicationImages()).toEqual([imageOf('a')]);

    // Its update to an image whose pods report CUDA faults is aborted by the analysis.
    await t.admin('POST', '/images/faults', {
      digest: digestOf('b'),
      cudaErrorsPerMinute: 6,
    });
    // A 30-minute pause (3 s) leaves the analysis time to fail twice however busy the machine.
    await deploy(digestOf('b'), '30m');
    const aborted = await eventually(async () => {
      const r = await rollout();
      return r.status?.abort === true ? r : undefined;
    }, 20_000);
    const revision =
      aborted.metadata.annotations['rollout.argoproj.io/revision'];
    expect(revision).toBe('2');
    expect(aborted.status).toMatchObject({
      abort: true,
      phase: 'Degraded',
      message:
        'RolloutAborted: Rollout aborted update to revision 2: Metric "gpu-health-check" assessed Failed due to failed (2) > failureLimit (1)',
      stableRS: stable.status.stableRS,
      canary: {
        weights: {
          canary: { weight: 0 },
          stable: { weight: 100, podTemplateHash: stable.status.stableRS },
        },
        currentBackgroundAnalysisRunStatus: { status: 'Failed' },
      },
      conditions: [
        expect.objectContaining({
          type: 'Progressing',
          status: 'False',
          reason: 'RolloutAborted',
        }),
      ],
    });
    const [run] = await analysisRuns();
    expect(run.metadata.name).toBe(
      `fraud-xl-${aborted.status.currentPodHash}-2`,
    );
    expect(run.spec.args).toEqual([
      { name: 'namespace', value: MODELS },
      { name: 'rollout', value: 'fraud-xl' },
      { name: 'canary-hash', value: aborted.status.currentPodHash },
    ]);
    expect(run.status).toMatchObject({
      phase: 'Failed',
      message:
        'Metric "gpu-health-check" assessed Failed due to failed (2) > failureLimit (1)',
      runSummary: { count: 1, failed: 1 },
      metricResults: [
        {
          name: 'gpu-health-check',
          phase: 'Failed',
          failed: 2,
        },
      ],
    });
    const failures = run.status.metricResults[0].measurements.filter(
      (m: any) => m.phase === 'Failed',
    );
    expect(failures).toHaveLength(2);
    expect(Number(failures[0].value.slice(1, -1))).toBeGreaterThan(0);
    // The canary's pods are gone; both replicas run the stable image.
    const stableImage = `registry.example/fraud-xl@${digestOf('a')} Running`;
    await eventually(
      async () =>
        JSON.stringify(await images()) ===
        JSON.stringify([stableImage, stableImage]),
      10_000,
    );
    // The stable pod the canary did not replace served throughout.
    const names = (await pods()).map((p: any) => p.metadata.name);
    expect(stableNames.filter(n => names.includes(n))).toHaveLength(1);
    const app = await get(
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/model-fraud-xl-aws',
    );
    expect(app.status.health.status).toBe('Degraded');
    // The refused image runs nowhere: the Application's images are the stable version's.
    expect(app.status.summary.images).toEqual([imageOf('a')]);

    // Rolled back to the stable version, the Rollout is promoted at once: no step, no pause (a
    // 30-minute one, 3 s), no analysis, the pods that served keep serving.
    const servingBeforeRollback = (await pods()).map(
      (p: any) => p.metadata.name,
    );
    const runsBeforeRollback = (await analysisRuns()).length;
    await deploy(digestOf('a'), '30m');
    const rolledBack = await eventually(async () => {
      const r = await rollout();
      return r.metadata.annotations['rollout.argoproj.io/revision'] === '3'
        ? r
        : undefined;
    }, 10_000);
    expect(rolledBack.status).toMatchObject({
      phase: 'Healthy',
      stableRS: stable.status.stableRS,
      currentPodHash: stable.status.stableRS,
      currentStepIndex: 2,
      canary: { weights: { canary: { weight: 100 } } },
    });
    expect(rolledBack.status.abort).toBeUndefined();
    expect((await pods()).map((p: any) => p.metadata.name)).toEqual(
      servingBeforeRollback,
    );
    expect(await analysisRuns()).toHaveLength(runsBeforeRollback);

    // The fault cleared, a new version goes through its analysis to Healthy.
    await t.admin('DELETE', '/images/faults', { digest: digestOf('b') });
    await deploy(digestOf('c'), '30m');
    // While the canary runs (3 s at 50%), the Application's live pods run both images, sorted.
    await eventually(
      async () =>
        JSON.stringify(await applicationImages()) ===
        JSON.stringify([imageOf('a'), imageOf('c')]),
      20_000,
    );
    const healthy = await eventually(async () => {
      const r = await rollout();
      return r.status?.phase === 'Healthy' &&
        r.metadata.annotations['rollout.argoproj.io/revision'] === '4'
        ? r
        : undefined;
    }, 20_000);
    expect(healthy.status.abort).toBeUndefined();
    expect(healthy.status.stableRS).toBe(healthy.status.currentPodHash);
    const last = (await analysisRuns()).find(
      (r: any) =>
        r.metadata.annotations['rollout.argoproj.io/revision'] === '4',
    );
    expect(last.status).toMatchObject({
      phase: 'Successful',
      metricResults: [{ name: 'gpu-health-check', failed: 0 }],
    });
    const newImage = `registry.example/fraud-xl@${digestOf('c')} Running`;
    expect(await images()).toEqual([newImage, newImage]);
    await eventually(
      async () =>
        JSON.stringify(await applicationImages()) ===
        JSON.stringify([imageOf('c')]),
      10_000,
    );
  }, 90_000);
});
