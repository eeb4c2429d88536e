import type { PodSummary } from '../fleet/ClusterSnapshot';
import {
  AnalysisRunSummary,
  ApplicationSummary,
  RolloutSummary,
  computeModelDeployments,
} from './modelDeployments';

const V1 = `registry.omnivision.ai/models/vidgen-xl@sha256:${'1'.repeat(64)}`;
const V2 = `registry.omnivision.ai/models/vidgen-xl@sha256:${'2'.repeat(64)}`;
const NS = 'omnivision-models';

/** vidgen-xl's Rollout: stable revision `h1`, current `hash`, its template wanting `image`. */
const rollout = (
  hash: string,
  image: string,
  status: Partial<RolloutSummary> = {},
): RolloutSummary => ({
  namespace: NS,
  name: 'vidgen-xl',
  model: 'vidgen-xl',
  phase: hash === 'h1' ? 'Healthy' : 'Progressing',
  currentStepIndex: hash === 'h1' ? 2 : 1,
  stepCount: 2,
  canaryWeight: hash === 'h1' ? 100 : 50,
  replicas: 2,
  readyReplicas: 2,
  images: [image],
  currentPodHash: hash,
  stableRS: 'h1',
  analysisTemplates: ['vidgen-xl-gpu-health-check'],
  ...status,
});

const application = (
  status: Partial<ApplicationSummary> = {},
): ApplicationSummary => ({
  name: 'model-vidgen-xl-aws',
  model: 'vidgen-xl',
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  revision: 'abc',
  ...status,
});

const pod = (name: string, hash: string, image: string): PodSummary => ({
  namespace: NS,
  name,
  phase: 'Running',
  priority: 1000,
  gpuRequests: { 'nvidia.com/gpu': 1 },
  labels: {
    'omnivision.ai/model': 'vidgen-xl',
    'rollouts-pod-template-hash': hash,
  },
  images: [image],
});

/** The background analysis of revision 2 (`h2`): one measurement of 50 XID errors/min. */
const failedRun = (
  conditions: { successCondition?: string; failureCondition?: string } = {
    successCondition: 'result[0] <= 0',
  },
): AnalysisRunSummary => ({
  namespace: NS,
  name: 'vidgen-xl-h2-2',
  rollout: 'vidgen-xl',
  podHash: 'h2',
  revision: '2',
  phase: 'Failed',
  message:
    'Metric "gpu-health-check" assessed Failed due to failed (2) > failureLimit (1)',
  createdAt: '2026-12-04T10:00:00Z',
  metrics: [
    {
      name: 'gpu-health-check',
      phase: 'Failed',
      query:
        'sum(increase(DCGM_FI_DEV_XID_ERRORS{namespace="omnivision-models", pod=~"vidgen-xl-h2-.*"}[1m])) or vector(0)',
      ...conditions,
      value: '[50]',
      measuredAt: '2026-12-04T10:00:30Z',
    },
  ],
});

const oneModel = (
  r: RolloutSummary,
  app: ApplicationSummary,
  pods: PodSummary[],
  analysisRuns: AnalysisRunSummary[] = [],
) => {
  const [status] = computeModelDeployments('eks-us-west-2', [r], [app], {
    pods,
    analysisRuns,
  });
  return status;
};

describe('computeModelDeployments', () => {
  it('joins each model Rollout with its Application', () => {
    const result = computeModelDeployments(
      'eks-us-west-2',
      [
        {
          namespace: 'omnivision-models',
          name: 'vidgen-xl',
          model: 'vidgen-xl',
          phase: 'Progressing',
          currentStepIndex: 2,
          stepCount: 4,
          canaryWeight: 50,
          replicas: 4,
          readyReplicas: 4,
          message: 'canary step 2/4',
        },
        { namespace: 'omnivision-models', name: 'untracked', stepCount: 0 },
      ],
      [
        {
          name: 'model-vidgen-xl-aws',
          model: 'vidgen-xl',
          syncStatus: 'Synced',
          healthStatus: 'Progressing',
          revision: 'abc',
        },
        {
          name: 'model-lipsync-aws',
          model: 'lipsync',
          syncStatus: 'OutOfSync',
          healthStatus: 'Missing',
        },
        { name: 'omnivision-platform' },
      ],
    );
    expect(result).toEqual([
      {
        model: 'lipsync',
        cluster: 'eks-us-west-2',
        rolloutPhase: 'Pending',
        canaryStep: 0,
        canarySteps: 0,
        canaryWeight: 0,
        readyReplicas: 0,
        replicas: 0,
        syncStatus: 'OutOfSync',
        healthStatus: 'Missing',
        revision: undefined,
        message: undefined,
        drift: 'Argo CD has not applied what Git wants (OutOfSync)',
      },
      {
        model: 'vidgen-xl',
        cluster: 'eks-us-west-2',
        rolloutPhase: 'Progressing',
        canaryStep: 2,
        canarySteps: 4,
        canaryWeight: 50,
        readyReplicas: 4,
        replicas: 4,
        syncStatus: 'Synced',
        healthStatus: 'Progressing',
        revision: 'abc',
        message: 'canary step 2/4',
      },
    ]);
  });

  it('is empty for a cluster without models', () => {
    expect(
      computeModelDeployments(
        'gke-europe-west1',
        [],
        [{ name: 'omnivision-platform' }],
      ),
    ).toEqual([]);
  });

  it('shows what Git wants and what runs, without drift, when they agree', () => {
    const status = oneModel(rollout('h1', V1), application(), [
      pod('vidgen-xl-h1-a', 'h1', V1),
      pod('vidgen-xl-h1-b', 'h1', V1),
    ]);
    expect(status).toMatchObject({ wantedImage: V1, stableImage: V1 });
    expect(status.canaryImage).toBeUndefined();
    expect(status.drift).toBeUndefined();
    expect(status.abortReason).toBeUndefined();
  });

  it('shows a canary on its way to what Git wants as no drift, with its image and analysis', () => {
    const running: AnalysisRunSummary = {
      ...failedRun(),
      phase: 'Running',
      message: undefined,
      metrics: [{ ...failedRun().metrics[0], phase: 'Running', value: '[0]' }],
    };
    const status = oneModel(
      rollout('h2', V2),
      application({ healthStatus: 'Progressing' }),
      [pod('vidgen-xl-h1-a', 'h1', V1), pod('vidgen-xl-h2-a', 'h2', V2)],
      [running],
    );
    expect(status).toMatchObject({
      wantedImage: V2,
      stableImage: V1,
      canaryImage: V2,
      analysis: {
        run: 'vidgen-xl-h2-2',
        template: 'vidgen-xl-gpu-health-check',
        phase: 'Running',
        metric: 'gpu-health-check',
        value: '[0]',
        condition: 'result[0] <= 0',
        step: 1,
      },
    });
    expect(status.drift).toBeUndefined();
    expect(status.abortReason).toBeUndefined();
  });

  it('says why an analysis aborted the update, with its evidence, and the drift it leaves', () => {
    const status = oneModel(
      rollout('h2', V2, {
        phase: 'Degraded',
        abort: true,
        canaryWeight: 0,
      }),
      application({ healthStatus: 'Degraded' }),
      // The canary's pods are gone; the stable version serves every replica.
      [pod('vidgen-xl-h1-a', 'h1', V1), pod('vidgen-xl-h1-b', 'h1', V1)],
      [
        {
          ...failedRun(),
          name: 'vidgen-xl-h0-1',
          podHash: 'h0',
          revision: '1',
          phase: 'Successful',
        },
        failedRun(),
      ],
    );
    expect(status.abortReason).toBe(
      'gpu-health-check failed at step 1: 50 breaks result[0] <= 0',
    );
    expect(status.analysis).toEqual({
      run: 'vidgen-xl-h2-2',
      template: 'vidgen-xl-gpu-health-check',
      phase: 'Failed',
      metric: 'gpu-health-check',
      query:
        'sum(increase(DCGM_FI_DEV_XID_ERRORS{namespace="omnivision-models", pod=~"vidgen-xl-h2-.*"}[1m])) or vector(0)',
      value: '[50]',
      condition: 'result[0] <= 0',
      message:
        'Metric "gpu-health-check" assessed Failed due to failed (2) > failureLimit (1)',
      at: '2026-12-04T10:00:30Z',
      step: 1,
    });
    expect(status).toMatchObject({ wantedImage: V2, stableImage: V1 });
    expect(status.canaryImage).toBeUndefined();
    expect(status.drift).toBe(
      `Git wants ${V2}, the stable pods run ${V1}: its update was aborted`,
    );
  });

  it("words a failure condition as met, and a manual abort as a person's", () => {
    const pods = [pod('vidgen-xl-h1-a', 'h1', V1)];
    const aborted = rollout('h2', V2, { phase: 'Degraded', abort: true });
    expect(
      oneModel(aborted, application(), pods, [
        failedRun({ failureCondition: 'result[0] > 0' }),
      ]).abortReason,
    ).toBe(
      'gpu-health-check failed at step 1: 50 meets the failure condition result[0] > 0',
    );
    // The analysis still ran when a person aborted: the abort is theirs.
    const running = { ...failedRun(), phase: 'Running' };
    expect(oneModel(aborted, application(), pods, [running]).abortReason).toBe(
      'aborted by a person at step 1',
    );
    // The Rollout records its analysis's failure before the run's own watch event arrives.
    expect(
      oneModel(
        {
          ...aborted,
          analysisRun: {
            name: 'vidgen-xl-h2-2',
            status: 'Failed',
            message: 'Metric "gpu-health-check" assessed Failed',
          },
        },
        application(),
        pods,
        [running],
      ).abortReason,
    ).toBe(
      'gpu-health-check failed at step 1: Metric "gpu-health-check" assessed Failed',
    );
    // A failed run of an older revision does not explain this abort.
    expect(
      oneModel(aborted, application(), pods, [
        { ...failedRun(), podHash: 'h0', revision: '1' },
      ]).abortReason,
    ).toBe('aborted by a person at step 1');
  });

  it('shows an Application out of sync as drift, and a degraded update that never aborted', () => {
    const pods = [pod('vidgen-xl-h1-a', 'h1', V1)];
    expect(
      oneModel(
        rollout('h1', V1),
        application({ syncStatus: 'OutOfSync' }),
        pods,
      ).drift,
    ).toBe('Argo CD has not applied what Git wants (OutOfSync)');
    expect(
      oneModel(
        rollout('h2', V2, { phase: 'Degraded' }),
        application({ healthStatus: 'Degraded' }),
        pods,
      ).drift,
    ).toBe(
      `Git wants ${V2}, the stable pods run ${V1}: its update is Degraded`,
    );
  });

  it('shows no drift for a model whose Application has no Rollout or pods yet', () => {
    const [pending] = computeModelDeployments(
      'eks-us-west-2',
      [],
      [application({ healthStatus: 'Missing' })],
      { pods: [], analysisRuns: [] },
    );
    expect(pending).toMatchObject({
      model: 'vidgen-xl',
      rolloutPhase: 'Pending',
    });
    expect(pending.wantedImage).toBeUndefined();
    expect(pending.stableImage).toBeUndefined();
    expect(pending.drift).toBeUndefined();
  });
});
