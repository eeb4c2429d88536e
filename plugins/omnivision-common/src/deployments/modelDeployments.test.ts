import { computeModelDeployments } from './modelDeployments';

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
});
