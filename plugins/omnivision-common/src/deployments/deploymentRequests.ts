import type { RegionalModelDeployment } from '../fleet/FleetStatus';
import type { DeploymentRequest, PolicyResult } from './DeploymentRequest';

/** A deployment request as the portal recorded it when its pull request opened. @public */
export interface DeploymentRequestRecord extends DeploymentRequest {
  pullRequestNumber: number;
  pullRequestUrl: string;
  branch: string;
  /** Entity ref of the person who asked. */
  requester: string;
  /** Every rule of the policy with its outcome, as the server checked the request when it was recorded. */
  policyResults: PolicyResult[];
  /** sha256 of the rendered files, path by path: what was asked for, byte for byte. */
  filesDigest: string;
  createdAt: string;
  updatedAt: string;
}

/** Where a request stands. @public */
export type DeploymentRequestState =
  | 'awaiting-review'
  | 'changes-requested'
  | 'approved'
  | 'merged'
  | 'synced'
  | 'healthy'
  | 'closed';

/** What GitHub says of a request's pull request. @public */
export interface PullRequestProgress {
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt?: string;
  mergeSha?: string;
  /** The latest review of each reviewer, oldest first. */
  reviews: Array<{
    user: string;
    state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
    submittedAt: string;
    body?: string;
  }>;
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
    | 'healthy';
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

/** A request with where it stands: `GET /api/omnivision/requests`. @public */
export interface DeploymentRequestSummary extends DeploymentRequestRecord {
  progress: DeploymentProgress;
  /** GitHub logins and team slugs (`@team`) whose review GitHub still asks for. */
  requestedReviewers: string[];
}

/** A request in full, as its pull request shows on GitHub: `GET /api/omnivision/requests/:number`. @public */
export interface DeploymentRequestDetail extends DeploymentRequestSummary {
  title: string;
  /** GitHub's answer; null while it computes it. */
  mergeable: boolean | null;
  /** GitHub's reason, e.g. `blocked` (branch protection) or `clean`. */
  mergeableState?: string;
  reviews: PullRequestProgress['reviews'];
  files: Array<{ path: string; status: string; patch?: string }>;
  checks: Array<{ context: string; state: string; description?: string }>;
}

const after = (a: string | undefined, b: string | undefined) =>
  !!a && !!b && new Date(a).getTime() >= new Date(b).getTime();

/**
 * Where a request stands, from its record, its pull request on GitHub and the model's deployments
 * in the fleet: requested → pull request opened → approved → merged → then, per region, synced
 * (Argo CD reconciled the Application after the merge), canary (the Rollout's steps) and healthy.
 *
 * @public
 */
export function computeDeploymentProgress(
  record: DeploymentRequestRecord,
  pull: PullRequestProgress | undefined,
  deployments: RegionalModelDeployment[],
): DeploymentProgress {
  const latest = new Map<string, PullRequestProgress['reviews'][number]>();
  for (const review of pull?.reviews ?? []) {
    if (review.state !== 'COMMENTED') latest.set(review.user, review);
  }
  const approval = [...latest.values()].find(r => r.state === 'APPROVED');
  const changes = [...latest.values()].find(
    r => r.state === 'CHANGES_REQUESTED',
  );
  const merged = !!pull?.merged;
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
      done: !!approval || merged,
      at: approval?.submittedAt,
      detail: approval?.user,
    },
    { stage: 'merged', done: merged, at: pull?.mergedAt },
  ];
  let synced = 0;
  let healthy = 0;
  for (const region of record.regions) {
    const d = deployments.find(x => x.region === region);
    const isSynced =
      merged &&
      !!d &&
      d.syncStatus === 'Synced' &&
      (d.revision === pull?.mergeSha || after(d.reconciledAt, pull?.mergedAt));
    const isHealthy =
      isSynced &&
      d!.rolloutPhase === 'Healthy' &&
      d!.healthStatus === 'Healthy';
    if (isSynced) synced++;
    if (isHealthy) healthy++;
    timeline.push(
      {
        stage: 'synced',
        region,
        done: isSynced,
        at: isSynced ? d!.reconciledAt : undefined,
        detail: isSynced ? d!.revision?.slice(0, 7) : undefined,
      },
      {
        stage: 'canary',
        region,
        done: isHealthy,
        detail:
          isSynced && d!.canarySteps > 0
            ? `step ${Math.min(d!.canaryStep, d!.canarySteps)} of ${
                d!.canarySteps
              }, ${d!.canaryWeight}% of traffic`
            : undefined,
      },
      {
        stage: 'healthy',
        region,
        done: isHealthy,
        detail: isHealthy
          ? `${d!.readyReplicas}/${d!.replicas} replicas ready`
          : undefined,
      },
    );
  }
  const n = record.regions.length;
  let state: DeploymentRequestState;
  if (merged && healthy === n) state = 'healthy';
  else if (merged && synced === n) state = 'synced';
  else if (merged) state = 'merged';
  else if (pull?.state === 'closed') state = 'closed';
  else if (changes) state = 'changes-requested';
  else if (approval) state = 'approved';
  else state = 'awaiting-review';
  return { state, timeline };
}

/** What the audit trail records. @public */
export const AUDIT_ACTIONS = [
  'request.created',
  'pull-request.opened',
  'pull-request.updated',
  'review.approved',
  'review.changes-requested',
  'pull-request.merged',
  'deployment.synced',
  'deployment.healthy',
] as const;

/** @public */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One event of the HIPAA audit trail: who did (or tried) what, when, on which request. Written
 * once, never changed.
 *
 * @public
 */
export interface AuditEvent {
  id: number;
  at: string;
  /** Entity ref of the person, or the portal for what it observed. */
  actor: string;
  action: AuditAction;
  outcome: 'succeeded' | 'refused';
  pullRequestNumber?: number;
  model?: string;
  region?: string;
  /** Why an attempt was refused, or what changed. */
  reason?: string;
}
