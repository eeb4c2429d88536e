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

/**
 * The last analysis of a model's canary (an Argo Rollouts AnalysisRun): what was measured, the
 * value, and the condition it was held to.
 *
 * @public
 */
export interface CanaryAnalysisEvidence {
  /** The AnalysisRun's name. */
  run: string;
  /** The AnalysisTemplate it was created from, e.g. `gpu-health-check`. */
  template?: string;
  /** Argo Rollouts' phase of the run: Pending, Running, Successful, Failed, Error, Inconclusive. */
  phase: string;
  /** The metric that decided the phase (the failed one, when one failed). */
  metric: string;
  /** The metric's provider query, with the run's arguments in place (PromQL for Prometheus). */
  query?: string;
  /** The metric's last measured value, as Argo Rollouts records it (e.g. `[50]`). */
  value?: string;
  /** The condition the value was held to: the metric's failureCondition, else its successCondition. */
  condition?: string;
  /** Argo Rollouts' message of the run, e.g. `Metric "cuda-errors" assessed Failed due to …`. */
  message?: string;
  /** When the last measurement finished. */
  at?: string;
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
  /**
   * The image Git wants (`repository@sha256:…`): Argo CD's `status.summary.images` of the model's
   * Application, rendered from the revision it synced.
   */
  wantedImage?: string;
  /** The image of the pods of the stable version (the Rollout's `status.stableRS`). */
  stableImage?: string;
  /** The image of the canary's pods while an update runs (`status.currentPodHash` ≠ stable). */
  canaryImage?: string;
  /** The last analysis of the canary, with its evidence. */
  analysis?: CanaryAnalysisEvidence;
  /** Why the update was aborted, e.g. `gpu-health-check failed at step 1: [50] breaks result[0] > 0`. */
  abortReason?: string;
  /** When Git and the cluster disagree, how (undefined when they agree or an update is on its way). */
  drift?: string;
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
