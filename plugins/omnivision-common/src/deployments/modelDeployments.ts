/** What the fleet caches keep of an Argo Rollout. @public */
export interface RolloutSummary {
  namespace: string;
  name: string;
  model?: string;
  phase?: string;
  message?: string;
  currentStepIndex?: number;
  stepCount: number;
  canaryWeight?: number;
  replicas?: number;
  readyReplicas?: number;
}

/** What the fleet caches keep of an Argo CD Application. @public */
export interface ApplicationSummary {
  name: string;
  model?: string;
  syncStatus?: string;
  healthStatus?: string;
  revision?: string;
  /** When Argo CD last reconciled the Application (a sync to a new revision moves it). */
  reconciledAt?: string;
}

/** One model's deployment on one cluster. @public */
export interface ModelDeploymentStatus {
  model: string;
  cluster: string;
  rolloutPhase: string;
  canaryStep: number;
  canarySteps: number;
  canaryWeight: number;
  readyReplicas: number;
  replicas: number;
  syncStatus: string;
  healthStatus: string;
  revision?: string;
  reconciledAt?: string;
  message?: string;
}

/**
 * Each model's deployment on a cluster, from its Rollout (phase, canary step and weight, ready
 * replicas) and its Argo CD Application (sync, health, revision), matched by the model label.
 * A model with an Application but no Rollout yet shows as `Pending`.
 *
 * @public
 */
export function computeModelDeployments(
  cluster: string,
  rollouts: RolloutSummary[],
  applications: ApplicationSummary[],
): ModelDeploymentStatus[] {
  const models = new Set([
    ...rollouts.map(r => r.model).filter((m): m is string => !!m),
    ...applications.map(a => a.model).filter((m): m is string => !!m),
  ]);
  return [...models].sort().map(model => {
    const rollout = rollouts.find(r => r.model === model);
    const app = applications.find(a => a.model === model);
    return {
      model,
      cluster,
      rolloutPhase: rollout?.phase ?? 'Pending',
      canaryStep: rollout?.currentStepIndex ?? 0,
      canarySteps: rollout?.stepCount ?? 0,
      canaryWeight: rollout?.canaryWeight ?? 0,
      readyReplicas: rollout?.readyReplicas ?? 0,
      replicas: rollout?.replicas ?? 0,
      syncStatus: app?.syncStatus ?? 'Unknown',
      healthStatus: app?.healthStatus ?? 'Unknown',
      revision: app?.revision,
      reconciledAt: app?.reconciledAt,
      message: rollout?.message,
    };
  });
}
