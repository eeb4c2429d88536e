import { createHash } from 'node:crypto';
import type { AuditAction } from '@internal/plugin-omnivision-common';

/** The longest idempotency key the audit trail stores. */
export const MAX_AUDIT_KEY_LENGTH = 255;

/** What makes a lifecycle event the same event, whoever observes it. */
export interface LifecycleEvent {
  pullRequestNumber: number;
  action: AuditAction;
  /** The region, for the steps of a rollout. */
  region?: string;
  /** The revision (commit sha, head sha, Argo CD revision) the event is about. */
  revision?: string;
  /** Anything else that tells two events of the same action apart, e.g. a canary step. */
  detail?: string;
}

/**
 * The idempotency key of a lifecycle event, for `AuditTrail.append`: one event per request,
 * action, region and revision however many replicas and reconcilers observe it. Stable across
 * releases: `lifecycle:<pull request>|<action>|<region>|<revision>|<detail>`, each part
 * URI-encoded (absent ones empty); a key longer than the trail stores becomes
 * `lifecycle:sha256:<hex>` of that text.
 */
export function lifecycleEventKey(event: LifecycleEvent): string {
  if (!Number.isSafeInteger(event.pullRequestNumber)) {
    throw new TypeError(
      `not a pull request number: ${event.pullRequestNumber}`,
    );
  }
  const key = `lifecycle:${[
    String(event.pullRequestNumber),
    event.action,
    event.region ?? '',
    event.revision ?? '',
    event.detail ?? '',
  ]
    .map(encodeURIComponent)
    .join('|')}`;
  if (key.length <= MAX_AUDIT_KEY_LENGTH) return key;
  return `lifecycle:sha256:${createHash('sha256').update(key).digest('hex')}`;
}
