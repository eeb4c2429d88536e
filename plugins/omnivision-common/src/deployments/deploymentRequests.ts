import type { DeploymentRequest, PolicyResult } from './DeploymentRequest';
import type { DeploymentRequestKind } from './modelChangeRequest';

/**
 * A deployment request as the portal recorded it when its pull request opened. `version` is the
 * version it deploys as resolved when recorded (the newest signed one when none was named); a
 * retirement deploys nothing: no profile (`''`), no replicas, no version.
 *
 * @public
 */
export interface DeploymentRequestRecord extends DeploymentRequest {
  /** What the request does to the model; absent: `deploy` (as requests recorded before kinds). */
  kind?: DeploymentRequestKind;
  pullRequestNumber: number;
  pullRequestUrl: string;
  branch: string;
  /** Entity ref of the person who asked; fixed when the request is first recorded. */
  requester: string;
  /** The team whose GPU quota the request counts against (a group entity ref). */
  team: string;
  /** Every rule of the policy with its outcome, as the server checked the request when it was recorded. */
  policyResults: PolicyResult[];
  /** sha256 of the rendered files, path by path: what was asked for, byte for byte. */
  filesDigest: string;
  createdAt: string;
  updatedAt: string;
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
  'request.read',
  'audit.read',
  'pull-request.synchronized',
  'pull-request.closed',
  'approval.status',
  'deployment.canary',
  'deployment.failed',
  // A retired model's Rollout is gone from a region after the merge.
  'deployment.retired',
  'rollout.promote',
  'rollout.abort',
  'rollout.pause',
  'rollout.resume',
  // An attempt to control a canary with no known action (refused with 400).
  'rollout.control',
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
  /** The GitHub login the action was made with, when it was made on GitHub as a person. */
  githubLogin?: string;
  /**
   * The event's idempotency key, when it has one: the trail holds at most one event per key
   * (a lifecycle event seen by several replicas or reconcilers is recorded once).
   */
  key?: string;
}
