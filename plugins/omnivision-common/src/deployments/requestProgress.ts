import type { RegionalModelDeployment } from '../fleet/FleetStatus';
import { isFailedAnalysisPhase } from './modelDeployments';
import type { DeploymentRequestRecord } from './deploymentRequests';
import type { ApprovalVerdict, PullRequestReview } from './requestApproval';

/** Where a request stands. @public */
export type DeploymentRequestState =
  | 'awaiting-review'
  | 'changes-requested'
  | 'approved'
  | 'merged'
  | 'synced'
  | 'healthy'
  | 'failed'
  | 'retired'
  | 'closed';

/** What the portal knows of a request's pull request, from GitHub's events. @public */
export interface PullRequestProgress {
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt?: string;
  /** The merge commit, once merged. */
  mergeSha?: string;
  /** The pull request's head commit. */
  headSha: string;
  /** Every review, oldest first. */
  reviews: PullRequestReview[];
  /** The approval gate's verdict on the head. */
  approval: ApprovalVerdict;
}

/**
 * What the portal saw of a merged request in one region, recorded once (in the audit trail):
 * Argo CD synced the merge, the canary reached a step, the rollout became healthy or failed.
 *
 * @public
 */
export interface DeploymentObservation {
  stage: 'synced' | 'canary' | 'healthy' | 'failed' | 'retired';
  region: string;
  /** The merge commit the region runs. */
  revision: string;
  at: string;
  detail?: string;
  /** The canary step reached, for `canary`. */
  step?: number;
}

/** One step of a request's timeline; region steps name their region. @public */
export interface DeploymentTimelineStep {
  stage:
    | 'requested'
    | 'pr-opened'
    | 'approved'
    | 'merged'
    | 'synced'
    | 'canary'
    | 'healthy'
    | 'failed'
    | 'retired';
  region?: string;
  done: boolean;
  at?: string;
  detail?: string;
}

/** A request's state and timeline. @public */
export interface DeploymentProgress {
  state: DeploymentRequestState;
  timeline: DeploymentTimelineStep[];
}

const notBefore = (a: string | undefined, b: string | undefined) =>
  !!a && !!b && new Date(a).getTime() >= new Date(b).getTime();

/**
 * Why a rollout failed, for the request's timeline and the requester's notification: the abort
 * reason (the analysis's metric, measured value and condition, or a person's abort) with the query
 * the analysis measured; else the Rollout's message.
 */
function failureDetail(d: RegionalModelDeployment): string {
  if (!d.abortReason)
    return d.message ?? `rollout ${d.rolloutPhase}, ${d.healthStatus}`;
  const query =
    d.analysis?.query && isFailedAnalysisPhase(d.analysis.phase)
      ? d.analysis.query
      : undefined;
  return query ? `${d.abortReason} (query: ${query})` : d.abortReason;
}

/**
 * What is true now of a merged request in one region, from the model's deployment there (the
 * fleet's watch caches): synced when Argo CD reconciled the merge (its revision, or a
 * reconciliation after the merge), the canary's current step, healthy when the rollout finished
 * and the Application is healthy, failed when either is degraded. Nothing before the merge.
 *
 * @public
 */
export function observeRegionalDeployment(
  pull: Pick<PullRequestProgress, 'merged' | 'mergeSha' | 'mergedAt'>,
  deployment: RegionalModelDeployment,
  now: Date = new Date(),
): DeploymentObservation[] {
  const d = deployment;
  if (!pull.merged || !pull.mergeSha || d.stale) return [];
  const synced =
    d.syncStatus === 'Synced' &&
    (d.revision === pull.mergeSha || notBefore(d.reconciledAt, pull.mergedAt));
  if (!synced) return [];
  const base = {
    region: d.region,
    revision: pull.mergeSha,
    at: now.toISOString(),
  };
  const observed: DeploymentObservation[] = [
    {
      ...base,
      stage: 'synced',
      at: d.reconciledAt ?? base.at,
      detail: d.revision?.slice(0, 7),
    },
  ];
  if (d.canarySteps > 0) {
    const step = Math.min(d.canaryStep, d.canarySteps);
    observed.push({
      ...base,
      stage: 'canary',
      step,
      detail: `step ${step} of ${d.canarySteps}, ${d.canaryWeight}% of traffic`,
    });
  }
  if (d.rolloutPhase === 'Healthy' && d.healthStatus === 'Healthy') {
    observed.push({
      ...base,
      stage: 'healthy',
      detail: `${d.readyReplicas}/${d.replicas} replicas ready`,
    });
  } else if (d.rolloutPhase === 'Degraded' || d.healthStatus === 'Degraded') {
    observed.push({
      ...base,
      stage: 'failed',
      detail: failureDetail(d),
    });
  }
  return observed;
}

/**
 * What is true now of a merged retirement in one region: once the region's figures are current
 * (`fresh`) and the model has no deployment there any more (Argo CD pruned its Application and
 * Rollout), the region is synced and retired. Nothing before the merge, nothing while the model
 * still runs or the region's figures may be out of date.
 *
 * @public
 */
export function observeRetirement(
  pull: Pick<PullRequestProgress, 'merged' | 'mergeSha'>,
  region: string,
  deployment: RegionalModelDeployment | undefined,
  fresh: boolean,
  now: Date = new Date(),
): DeploymentObservation[] {
  if (!pull.merged || !pull.mergeSha || !fresh || deployment) return [];
  const base = { region, revision: pull.mergeSha, at: now.toISOString() };
  return [
    { ...base, stage: 'synced', detail: pull.mergeSha.slice(0, 7) },
    {
      ...base,
      stage: 'retired',
      detail: 'no Rollout or Application of the model any more',
    },
  ];
}

/**
 * Where a request stands, from its record, what GitHub said of its pull request and what the
 * portal observed in each region: requested → pull request opened → approved (by the gate's
 * verdict: a code owner other than the requester, on the head) → merged → then, per region,
 * synced, canary and healthy (or failed), from the observations of the merge commit only; a
 * retirement's regions are synced, then retired once the model is gone.
 *
 * @public
 */
export function computeDeploymentProgress(
  record: DeploymentRequestRecord,
  pull: PullRequestProgress | undefined,
  observations: DeploymentObservation[],
): DeploymentProgress {
  const merged = !!pull?.merged;
  const approval = pull?.approval;
  const approved = approval?.state === 'success';
  const timeline: DeploymentTimelineStep[] = [
    {
      stage: 'requested',
      done: true,
      at: record.createdAt,
      detail: record.requester,
    },
    {
      stage: 'pr-opened',
      done: true,
      at: record.createdAt,
      detail: `#${record.pullRequestNumber}`,
    },
    {
      stage: 'approved',
      done: approved || merged,
      at: approved ? approval?.approvedAt : undefined,
      detail: approved ? approval?.approvedBy : approval?.description,
    },
    { stage: 'merged', done: merged, at: pull?.mergedAt },
  ];
  const ofMerge = merged
    ? observations.filter(o => o.revision === pull?.mergeSha)
    : [];
  let synced = 0;
  let healthy = 0;
  let failed = 0;
  let retired = 0;
  for (const region of record.regions) {
    const here = ofMerge.filter(o => o.region === region);
    const find = (stage: DeploymentObservation['stage']) =>
      here.find(o => o.stage === stage);
    const sync = find('synced');
    /** A region's step: done or not, with the time and detail of what was observed for it. */
    const step = (
      stage: DeploymentTimelineStep['stage'],
      done: boolean,
      seen: DeploymentObservation | undefined,
    ): DeploymentTimelineStep => ({
      stage,
      region,
      done,
      at: seen?.at,
      detail: seen?.detail,
    });
    if (sync) synced++;
    if (record.kind === 'retire') {
      // A retirement ends when the model is gone: synced, then retired.
      const gone = find('retired');
      if (gone) retired++;
      timeline.push(
        step('synced', !!sync, sync),
        step('retired', !!gone, gone),
      );
      continue;
    }
    const done = find('healthy');
    const failure = find('failed');
    const canary = here
      .filter(o => o.stage === 'canary')
      .sort((a, b) => (b.step ?? 0) - (a.step ?? 0))[0];
    if (done) healthy++;
    if (failure && !done) failed++;
    timeline.push(
      step('synced', !!sync, sync),
      step('canary', !!done, canary),
      step('healthy', !!done, done),
    );
    if (failure && !done) {
      timeline.push({
        stage: 'failed',
        region,
        done: true,
        at: failure.at,
        detail: failure.detail,
      });
    }
  }
  const n = record.regions.length;
  let state: DeploymentRequestState;
  if (merged && record.kind === 'retire' && retired === n) state = 'retired';
  else if (merged && record.kind !== 'retire' && healthy === n)
    state = 'healthy';
  else if (merged && failed > 0) state = 'failed';
  else if (merged && synced === n) state = 'synced';
  else if (merged) state = 'merged';
  else if (pull?.state === 'closed') state = 'closed';
  else if (approval && approval.changesRequestedBy.length > 0)
    state = 'changes-requested';
  else if (approved) state = 'approved';
  else state = 'awaiting-review';
  return { state, timeline };
}

/** A request with where it stands: `GET /api/omnivision/requests`. @public */
export interface DeploymentRequestSummary extends DeploymentRequestRecord {
  progress: DeploymentProgress;
  /** GitHub logins and team slugs (`@team`) whose review GitHub still asks for. */
  requestedReviewers: string[];
  /** The approval gate's verdict on the head, as posted in the `omnivision/approval` status. */
  approval?: ApprovalVerdict;
}

/** A request in full, as the portal last saw its pull request: `GET /api/omnivision/requests/:number`. @public */
export interface DeploymentRequestDetail extends DeploymentRequestSummary {
  title: string;
  /** The pull request's head commit. */
  headSha?: string;
  /** GitHub's answer; null while it computes it or before the portal saw it. */
  mergeable: boolean | null;
  /** GitHub's reason, e.g. `blocked` (branch protection) or `clean`. */
  mergeableState?: string;
  reviews: PullRequestReview[];
  files: Array<{ path: string; status: string; patch?: string }>;
  /** The head's commit statuses, the latest of each context. */
  checks: Array<{ context: string; state: string; description?: string }>;
}
