import {
  ApplicationSummary,
  MODEL_LABEL,
  RolloutSummary,
} from '@internal/plugin-omnivision-common';

/** What the fleet keeps of how models are delivered: Argo Rollouts and Argo CD Applications. */

/** A Rollout: its model, phase, canary step and weight, replicas. */
export function summarizeRollout(rollout: any): RolloutSummary {
  const steps: any[] = rollout.spec?.strategy?.canary?.steps ?? [];
  const status = rollout.status ?? {};
  return {
    namespace: rollout.metadata?.namespace,
    name: rollout.metadata?.name,
    model: rollout.metadata?.labels?.[MODEL_LABEL],
    phase: status.phase,
    message: status.message,
    currentStepIndex: status.currentStepIndex,
    stepCount: steps.length,
    canaryWeight: status.canary?.weights?.canary?.weight,
    replicas: status.replicas ?? rollout.spec?.replicas,
    readyReplicas: status.readyReplicas ?? 0,
  };
}

/** An Argo CD Application: its model, sync and health status, revision. */
export function summarizeApplication(app: any): ApplicationSummary {
  return {
    name: app.metadata?.name,
    model: app.metadata?.labels?.[MODEL_LABEL],
    syncStatus: app.status?.sync?.status,
    healthStatus: app.status?.health?.status,
    revision: app.status?.sync?.revision,
    reconciledAt: app.status?.reconciledAt,
  };
}
