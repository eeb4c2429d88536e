/**
 * What a person on the platform team may ask of a model's canary in a region, with Argo Rollouts'
 * meaning: `promote` moves past the current step (past a pause), `abort` goes back to the stable
 * version (canary weight 0), `pause` holds the canary at its step, `resume` lets it go on.
 *
 * @public
 */
export const ROLLOUT_CONTROL_ACTIONS = [
  'promote',
  'abort',
  'pause',
  'resume',
] as const;

/** @public */
export type RolloutControlAction = (typeof ROLLOUT_CONTROL_ACTIONS)[number];

/** What of a live Argo Rollout its control patches depend on. @public */
export interface ControlledRollout {
  spec?: {
    paused?: boolean;
    strategy?: { canary?: { steps?: unknown[] } };
  };
  status?: {
    currentStepIndex?: number;
    pauseConditions?: unknown[] | null;
  };
}

/**
 * The JSON merge patches (RFC 7386) an action makes of a Rollout, as Argo Rollouts' kubectl
 * plugin sends them: `status` to the status subresource (sent first), `spec` to the object.
 *
 * - `pause`: `spec.paused: true`;
 * - `resume`: `spec.paused: false`;
 * - `promote` (without `--full`): `spec.paused: false` when it is paused; the pause conditions
 *   cleared when there are any, else the step index moved one past the current step (at most to
 *   the number of steps);
 * - `abort`: `status.abort: true`.
 *
 * @public
 */
export function rolloutControlPatches(
  action: RolloutControlAction,
  rollout: ControlledRollout,
): { status?: Record<string, unknown>; spec?: Record<string, unknown> } {
  switch (action) {
    case 'pause':
      return { spec: { spec: { paused: true } } };
    case 'resume':
      return { spec: { spec: { paused: false } } };
    case 'abort':
      return { status: { status: { abort: true } } };
    case 'promote': {
      const spec = rollout.spec?.paused
        ? { spec: { spec: { paused: false } } }
        : {};
      if ((rollout.status?.pauseConditions ?? []).length > 0) {
        return { ...spec, status: { status: { pauseConditions: null } } };
      }
      const steps = rollout.spec?.strategy?.canary?.steps;
      if (!steps || steps.length === 0) return spec;
      const current = Math.min(
        rollout.status?.currentStepIndex ?? 0,
        steps.length,
      );
      return {
        ...spec,
        status: {
          status: {
            pauseConditions: null,
            currentStepIndex: Math.min(current + 1, steps.length),
          },
        },
      };
    }
    default:
      throw new TypeError(`unknown rollout action ${String(action)}`);
  }
}
