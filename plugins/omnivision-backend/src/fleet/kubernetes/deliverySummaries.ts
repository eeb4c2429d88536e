import {
  AnalysisMetricSummary,
  AnalysisRunSummary,
  ApplicationSummary,
  MODEL_LABEL,
  POD_TEMPLATE_HASH_LABEL,
  RolloutSummary,
} from '@internal/plugin-omnivision-common';

/**
 * What the fleet keeps of how models are delivered: Argo Rollouts' Rollouts and AnalysisRuns,
 * and Argo CD's Applications.
 */

/** Argo Rollouts' annotation of a Rollout's revision, on the Rollout and its AnalysisRuns. */
const REVISION_ANNOTATION = 'rollout.argoproj.io/revision';
/** Argo Rollouts' label of a step analysis's canary step. */
const STEP_INDEX_LABEL = 'step-index';

const imagesOf = (podSpec: any): string[] =>
  (podSpec?.containers ?? []).map((c: any) => c.image);

/**
 * A Rollout: its model, phase, canary step and weight, replicas; the images its pod template
 * wants, its current and stable revisions (pod-template hashes), whether its update was aborted
 * and why (the `Progressing` condition), its analysis templates and background analysis.
 */
export function summarizeRollout(rollout: any): RolloutSummary {
  const canary = rollout.spec?.strategy?.canary ?? {};
  const steps: any[] = canary.steps ?? [];
  const status = rollout.status ?? {};
  const progressing = (status.conditions ?? []).find(
    (c: any) => c.type === 'Progressing',
  );
  const templates = [
    ...(canary.analysis?.templates ?? []),
    ...steps.flatMap(s => s.analysis?.templates ?? []),
  ].map((t: any) => t.templateName as string);
  const summary: RolloutSummary = {
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
    images: imagesOf(rollout.spec?.template?.spec),
  };
  if (status.currentPodHash) summary.currentPodHash = status.currentPodHash;
  if (status.stableRS) summary.stableRS = status.stableRS;
  if (status.abort === true) summary.abort = true;
  if (status.abortedAt) summary.abortedAt = status.abortedAt;
  if (progressing?.message) summary.progressingMessage = progressing.message;
  if (templates.length > 0) summary.analysisTemplates = [...new Set(templates)];
  const run = status.canary?.currentBackgroundAnalysisRunStatus;
  if (run?.name && run.status)
    summary.analysisRun = {
      name: run.name,
      status: run.status,
      ...(run.message ? { message: run.message } : {}),
    };
  return summary;
}

/** A metric's query with the run's `{{args.name}}` in place (unknown arguments stay as written). */
function withArgs(query: string, args: Map<string, string>): string {
  return query.replace(
    /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g,
    (all, name: string) => args.get(name) ?? all,
  );
}

/**
 * An AnalysisRun: the Rollout it belongs to (its controller owner), the revision it analyses
 * (pod-template hash and revision), its phase and message, and per metric the Prometheus query
 * with the run's arguments, the conditions, and the measurement that decided (the last failed one
 * of a failed metric, else the last).
 */
export function summarizeAnalysisRun(run: any): AnalysisRunSummary {
  const metadata = run.metadata ?? {};
  const status = run.status ?? {};
  const owner = (metadata.ownerReferences ?? []).find(
    (o: any) => o.kind === 'Rollout',
  );
  const args = new Map<string, string>(
    (run.spec?.args ?? [])
      .filter((a: any) => typeof a.value === 'string')
      .map((a: any) => [a.name, a.value]),
  );
  const results: any[] = status.metricResults ?? [];
  const metrics = (run.spec?.metrics ?? []).map((metric: any) => {
    const result = results.find(r => r.name === metric.name) ?? {};
    const measurements: any[] = result.measurements ?? [];
    const decided =
      (result.phase === 'Failed'
        ? [...measurements].reverse().find(m => m.phase === 'Failed')
        : undefined) ?? measurements[measurements.length - 1];
    const query = metric.provider?.prometheus?.query;
    const summary: AnalysisMetricSummary = { name: metric.name };
    if (result.phase) summary.phase = result.phase;
    if (result.message) summary.message = result.message;
    if (typeof query === 'string') summary.query = withArgs(query, args);
    if (metric.failureCondition)
      summary.failureCondition = metric.failureCondition;
    if (metric.successCondition)
      summary.successCondition = metric.successCondition;
    if (decided?.value !== undefined) summary.value = String(decided.value);
    if (decided?.finishedAt) summary.measuredAt = decided.finishedAt;
    return summary;
  });
  const summary: AnalysisRunSummary = {
    namespace: metadata.namespace,
    name: metadata.name,
    metrics,
  };
  const step = Number(metadata.labels?.[STEP_INDEX_LABEL]);
  if (owner?.name) summary.rollout = owner.name;
  if (metadata.labels?.[POD_TEMPLATE_HASH_LABEL])
    summary.podHash = metadata.labels[POD_TEMPLATE_HASH_LABEL];
  if (metadata.annotations?.[REVISION_ANNOTATION])
    summary.revision = metadata.annotations[REVISION_ANNOTATION];
  if (
    metadata.labels?.[STEP_INDEX_LABEL] !== undefined &&
    Number.isInteger(step)
  )
    summary.stepIndex = step;
  if (status.phase) summary.phase = status.phase;
  if (status.message) summary.message = status.message;
  if (metadata.creationTimestamp)
    summary.createdAt = metadata.creationTimestamp;
  return summary;
}

/** An Argo CD Application: its model, sync and health status, revision, images. */
export function summarizeApplication(app: any): ApplicationSummary {
  const summary: ApplicationSummary = {
    name: app.metadata?.name,
    model: app.metadata?.labels?.[MODEL_LABEL],
    syncStatus: app.status?.sync?.status,
    healthStatus: app.status?.health?.status,
    revision: app.status?.sync?.revision,
    reconciledAt: app.status?.reconciledAt,
  };
  const images: string[] | undefined = app.status?.summary?.images;
  if (images && images.length > 0) summary.images = images;
  return summary;
}
