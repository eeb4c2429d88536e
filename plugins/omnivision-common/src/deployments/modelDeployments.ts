import type { PodSummary } from '../fleet/ClusterSnapshot';
import { MODEL_LABEL } from './gitOpsLayout';

/**
 * The label Argo Rollouts puts on a Rollout's pods and AnalysisRuns: the hash of the pod template
 * of the revision they belong to (`status.stableRS` and `status.currentPodHash` name them).
 *
 * @public
 */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

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
  /** The images of the live pod template's containers (`spec.template`), as Argo CD applied them. */
  images?: string[];
  /** The pod-template hash of the current revision (`status.currentPodHash`). */
  currentPodHash?: string;
  /** The pod-template hash of the stable revision (`status.stableRS`). */
  stableRS?: string;
  /** The update of the current revision was aborted (`status.abort`). */
  abort?: boolean;
  abortedAt?: string;
  /** The message of the Rollout's `Progressing` condition, e.g. why it was aborted. */
  progressingMessage?: string;
  /** The AnalysisTemplates of its canary analysis (`spec.strategy.canary.analysis.templates`). */
  analysisTemplates?: string[];
  /** Its background analysis as it records it (`status.canary.currentBackgroundAnalysisRunStatus`). */
  analysisRun?: { name: string; status: string; message?: string };
}

/** One metric of an AnalysisRun, as the fleet caches keep it. @public */
export interface AnalysisMetricSummary {
  name: string;
  /** `Running`, `Successful`, `Failed`, `Error`, `Inconclusive`. */
  phase?: string;
  message?: string;
  /** The Prometheus query, with the run's `{{args.x}}` in place. */
  query?: string;
  failureCondition?: string;
  successCondition?: string;
  /** The value of the measurement that decided (the last failed one when the metric failed, else the last). */
  value?: string;
  /** When that measurement finished. */
  measuredAt?: string;
}

/** What the fleet caches keep of an Argo Rollouts AnalysisRun. @public */
export interface AnalysisRunSummary {
  namespace: string;
  name: string;
  /** The Rollout it belongs to (its controller owner reference). */
  rollout?: string;
  /** The pod-template hash of the revision it analyses (`rollouts-pod-template-hash`). */
  podHash?: string;
  /** The Rollout's revision (`rollout.argoproj.io/revision`). */
  revision?: string;
  /** The canary step of a step analysis (`step-index`); a background analysis has none. */
  stepIndex?: number;
  phase?: string;
  message?: string;
  createdAt?: string;
  metrics: AnalysisMetricSummary[];
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
  /**
   * Argo CD's `status.summary.images`: the images of the live pods of the Application's
   * resource tree, sorted, each once (the stable and the canary's while an update runs).
   */
  images?: string[];
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
  /** The canary step it ran at: a step analysis's own, else the Rollout's step. */
  step?: number;
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
   * The image Git wants (`repository@sha256:…`): the first container's of the Rollout's pod
   * template, as Argo CD applied it from the revision it synced (`syncStatus` says whether it did).
   * Argo CD's own `status.summary.images` lists the images of the live pods, so it cannot say
   * what an aborted update wanted.
   */
  wantedImage?: string;
  /** The image of the pods of the stable version (the Rollout's `status.stableRS`). */
  stableImage?: string;
  /** The image of the canary's pods while an update runs (`status.currentPodHash` ≠ stable). */
  canaryImage?: string;
  /** The last analysis of the canary, with its evidence. */
  analysis?: CanaryAnalysisEvidence;
  /**
   * Why the update was aborted: `gpu-health-check failed at step 1: 50 breaks result[0] <= 0` (the
   * metric, the measured value and the condition), or `aborted by a person at step 1`.
   */
  abortReason?: string;
  /** When Git and the cluster disagree, how (undefined when they agree or an update is on its way). */
  drift?: string;
}

/** What runs on a cluster besides Rollouts and Applications, for {@link computeModelDeployments}. @public */
export interface ModelDeploymentObjects {
  /** The cluster's pods (the models' are told apart by the model label and the pod-template hash). */
  pods?: PodSummary[];
  /** The cluster's AnalysisRuns. */
  analysisRuns?: AnalysisRunSummary[];
}

/**
 * Whether an analysis's phase fails its canary: `Failed` or `Error`, the phases on which Argo
 * Rollouts aborts the update. @public
 */
export function isFailedAnalysisPhase(phase: string): boolean {
  return phase === 'Failed' || phase === 'Error';
}

/** A one-value vector (`[50]`) as its value; anything else as measured. */
const readable = (value: string) =>
  /^\[[^,\]]*\]$/.exec(value) ? value.slice(1, -1) : value;

/** The image of the model's pods of a revision (a running one first), if any runs. */
function imageOfRevision(
  pods: PodSummary[],
  rollout: RolloutSummary,
  hash: string | undefined,
): string | undefined {
  if (!hash) return undefined;
  const mine = pods.filter(
    p =>
      p.namespace === rollout.namespace &&
      p.labels[POD_TEMPLATE_HASH_LABEL] === hash &&
      p.phase !== 'Succeeded' &&
      p.phase !== 'Failed',
  );
  const pod = mine.find(p => p.phase === 'Running') ?? mine[0];
  return pod?.images[0];
}

/** The newest AnalysisRun of a Rollout, with the metric that decided it, as evidence. */
function lastAnalysis(
  rollout: RolloutSummary,
  runs: AnalysisRunSummary[],
): CanaryAnalysisEvidence | undefined {
  const run = runs
    .filter(
      r => r.namespace === rollout.namespace && r.rollout === rollout.name,
    )
    .sort(
      (a, b) =>
        Number(a.revision ?? 0) - Number(b.revision ?? 0) ||
        (a.createdAt ?? '').localeCompare(b.createdAt ?? ''),
    )
    .pop();
  if (!run) return undefined;
  const metric =
    run.metrics.find(m => m.phase === 'Failed') ??
    run.metrics.find(m => m.phase === 'Error') ??
    run.metrics[0];
  const templates = rollout.analysisTemplates ?? [];
  const evidence: CanaryAnalysisEvidence = {
    run: run.name,
    phase: run.phase ?? 'Pending',
    metric: metric?.name ?? '',
  };
  if (templates.length > 0) evidence.template = templates.join(', ');
  if (metric?.query) evidence.query = metric.query;
  if (metric?.value !== undefined) evidence.value = metric.value;
  const condition = metric?.failureCondition ?? metric?.successCondition;
  if (condition) evidence.condition = condition;
  const message = run.message ?? metric?.message;
  if (message) evidence.message = message;
  if (metric?.measuredAt) evidence.at = metric.measuredAt;
  // A step analysis names its step; a background one ran at the Rollout's step. Only the run of
  // the current revision ran at the Rollout's current step.
  const step =
    run.stepIndex ??
    (run.podHash === rollout.currentPodHash
      ? rollout.currentStepIndex
      : undefined);
  if (step !== undefined) evidence.step = step;
  return evidence;
}

/**
 * Why the update of a Rollout was aborted: the analysis of its current revision that failed, with
 * the measured value and the condition it broke; else a person's abort (Argo Rollouts'
 * `status.abort` set by hand, as `kubectl argo rollouts abort` and the portal do). The Rollout's
 * own record of its background analysis also tells an analysis's abort, should its AnalysisRun
 * not be in the cache yet (its watch and the Rollout's are two streams).
 */
function abortReasonOf(
  rollout: RolloutSummary,
  analysis: CanaryAnalysisEvidence | undefined,
  runs: AnalysisRunSummary[],
): string | undefined {
  if (!rollout.abort) return undefined;
  const run =
    analysis &&
    runs.find(
      r => r.name === analysis.run && r.namespace === rollout.namespace,
    );
  const step = analysis?.step ?? rollout.currentStepIndex ?? 0;
  const recorded = rollout.analysisRun;
  if (
    analysis &&
    run &&
    run.podHash === rollout.currentPodHash &&
    isFailedAnalysisPhase(analysis.phase)
  ) {
    const metric = run.metrics.find(m => m.name === analysis.metric);
    const what = analysis.metric || analysis.template || analysis.run;
    if (analysis.phase === 'Error')
      return `${what} errored at step ${step}: ${
        metric?.message ?? analysis.message ?? 'the measurement failed'
      }`;
    const value =
      analysis.value !== undefined
        ? readable(analysis.value)
        : 'the measurement';
    if (metric?.failureCondition)
      return `${what} failed at step ${step}: ${value} meets the failure condition ${metric.failureCondition}`;
    if (metric?.successCondition)
      return `${what} failed at step ${step}: ${value} breaks ${metric.successCondition}`;
    return `${what} failed at step ${step}${
      analysis.message ? `: ${analysis.message}` : ''
    }`;
  }
  if (recorded && isFailedAnalysisPhase(recorded.status)) {
    const what =
      (analysis?.run === recorded.name && analysis.metric) || recorded.name;
    const verb = recorded.status === 'Error' ? 'errored' : 'failed';
    return `${what} ${verb} at step ${step}${
      recorded.message ? `: ${recorded.message}` : ''
    }`;
  }
  return `aborted by a person at step ${step}`;
}

/**
 * How Git and the cluster disagree, if they do and no update is on its way to agreement: the
 * Application not synced, or the stable pods running another image than the one Git wants while
 * the update to it was aborted or is degraded. A canary that progresses (or is paused) towards
 * what Git wants is no drift; nor is a first deployment that has not started its pods.
 */
function driftOf(
  rollout: RolloutSummary | undefined,
  app: ApplicationSummary | undefined,
  wanted: string | undefined,
  stable: string | undefined,
): string | undefined {
  if (app?.syncStatus === 'OutOfSync')
    return 'Argo CD has not applied what Git wants (OutOfSync)';
  if (app?.syncStatus === 'Unknown')
    return 'Argo CD cannot compare the cluster with Git (sync status Unknown)';
  if (!rollout || !wanted || wanted === stable) return undefined;
  const stopped = rollout.abort === true || rollout.phase === 'Degraded';
  if (!stopped) return undefined;
  const why = rollout.abort
    ? 'its update was aborted'
    : 'its update is Degraded';
  return stable
    ? `Git wants ${wanted}, the stable pods run ${stable}: ${why}`
    : `Git wants ${wanted}, no pod runs it: ${why}`;
}

/**
 * Whether a pod belongs to a revision of a model (labelled with the model and Argo Rollouts'
 * pod-template hash): the only pods {@link computeModelDeployments} reads.
 *
 * @public
 */
export function isRevisionPod(pod: PodSummary): boolean {
  return !!pod.labels[MODEL_LABEL] && !!pod.labels[POD_TEMPLATE_HASH_LABEL];
}

/**
 * Each model's deployment on a cluster, from its Rollout (phase, canary step and weight, ready
 * replicas, the image its pod template wants, the stable and canary revisions), its Argo CD
 * Application (sync, health, revision), matched by the model label, its pods by pod-template
 * hash (the images that run), and the Rollout's newest AnalysisRun (the evidence, and why an
 * aborted update stopped). A model with an Application but no Rollout yet shows as `Pending`.
 *
 * `canaryImage` is the image of the canary's pods while an update runs and is not aborted: an
 * aborted update has no canary pods left, and what it refused is `wantedImage`.
 *
 * @public
 */
export function computeModelDeployments(
  cluster: string,
  rollouts: RolloutSummary[],
  applications: ApplicationSummary[],
  objects: ModelDeploymentObjects = {},
): ModelDeploymentStatus[] {
  const models = new Set([
    ...rollouts.map(r => r.model).filter((m): m is string => !!m),
    ...applications.map(a => a.model).filter((m): m is string => !!m),
  ]);
  const runs = objects.analysisRuns ?? [];
  const podsOf = new Map<string, PodSummary[]>();
  for (const pod of objects.pods ?? []) {
    if (!isRevisionPod(pod)) continue;
    const model = pod.labels[MODEL_LABEL];
    const pods = podsOf.get(model);
    if (pods) pods.push(pod);
    else podsOf.set(model, [pod]);
  }
  return [...models].sort().map(model => {
    const rollout = rollouts.find(r => r.model === model);
    const app = applications.find(a => a.model === model);
    const status: ModelDeploymentStatus = {
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
    const wanted = rollout?.images?.[0];
    const pods = podsOf.get(model) ?? [];
    const stable = rollout && imageOfRevision(pods, rollout, rollout.stableRS);
    const updating =
      !!rollout?.currentPodHash &&
      rollout.currentPodHash !== rollout.stableRS &&
      !rollout.abort;
    const canary = updating
      ? imageOfRevision(pods, rollout, rollout.currentPodHash)
      : undefined;
    const analysis = rollout && lastAnalysis(rollout, runs);
    const abortReason = rollout && abortReasonOf(rollout, analysis, runs);
    const drift = driftOf(rollout, app, wanted, stable);
    if (wanted) status.wantedImage = wanted;
    if (stable) status.stableImage = stable;
    if (canary) status.canaryImage = canary;
    if (analysis) status.analysis = analysis;
    if (abortReason) status.abortReason = abortReason;
    if (drift) status.drift = drift;
    return status;
  });
}
