import { rolloutControlPatches } from './rolloutControl';

const canary = (status: Record<string, unknown>, paused?: boolean) => ({
  spec: {
    ...(paused === undefined ? {} : { paused }),
    strategy: {
      canary: {
        steps: [{ setWeight: 5 }, { pause: {} }, { setWeight: 50 }],
      },
    },
  },
  status,
});

describe('rolloutControlPatches, as Argo Rollouts kubectl plugin patches', () => {
  it('pauses and resumes through spec.paused', () => {
    expect(rolloutControlPatches('pause', canary({}))).toEqual({
      spec: { spec: { paused: true } },
    });
    expect(rolloutControlPatches('resume', canary({}, true))).toEqual({
      spec: { spec: { paused: false } },
    });
  });

  it('aborts through the status subresource', () => {
    expect(rolloutControlPatches('abort', canary({}))).toEqual({
      status: { status: { abort: true } },
    });
  });

  it('promotes past the current step, unpausing a paused Rollout', () => {
    expect(
      rolloutControlPatches('promote', canary({ currentStepIndex: 1 }, true)),
    ).toEqual({
      spec: { spec: { paused: false } },
      status: { status: { pauseConditions: null, currentStepIndex: 2 } },
    });
    expect(
      rolloutControlPatches('promote', canary({ currentStepIndex: 0 })),
    ).toEqual({
      status: { status: { pauseConditions: null, currentStepIndex: 1 } },
    });
  });

  it('never moves the step index past the last step', () => {
    expect(
      rolloutControlPatches('promote', canary({ currentStepIndex: 3 })),
    ).toEqual({
      status: { status: { pauseConditions: null, currentStepIndex: 3 } },
    });
  });

  it('only clears the pause conditions when the controller paused it', () => {
    expect(
      rolloutControlPatches(
        'promote',
        canary({
          currentStepIndex: 1,
          pauseConditions: [{ reason: 'CanaryPauseStep' }],
        }),
      ),
    ).toEqual({ status: { status: { pauseConditions: null } } });
  });
});
