import type { AuditEvent } from '@internal/plugin-omnivision-common';
import type { AuditChainContent } from './auditChain';

/** The audit trail's table: append-only (see the migrations). */
export const AUDIT_EVENTS_TABLE = 'omnivision_audit_events';

/** A row of the audit trail as the database gives it back (PostgreSQL gives bigints as strings). */
export interface AuditEventRow {
  id: number | string;
  seq: number | string | null;
  at_ms: number | string;
  actor: string;
  action: string;
  outcome: string;
  pull_request_number: number | string | null;
  model: string | null;
  region: string | null;
  reason: string | null;
  event_key: string | null;
  github_login: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/** The content of a row that its hash covers. */
export function auditChainContentOf(
  row: Omit<AuditEventRow, 'id' | 'prev_hash' | 'hash'>,
): AuditChainContent {
  return {
    seq: Number(row.seq),
    atMs: Number(row.at_ms),
    actor: row.actor,
    action: row.action,
    outcome: row.outcome,
    pullRequestNumber:
      row.pull_request_number === null ? null : Number(row.pull_request_number),
    model: row.model,
    region: row.region,
    reason: row.reason,
    key: row.event_key,
    githubLogin: row.github_login,
  };
}

/** A row as the event it records. */
export function auditEventOf(row: AuditEventRow): AuditEvent {
  return {
    id: Number(row.id),
    at: new Date(Number(row.at_ms)).toISOString(),
    actor: row.actor,
    action: row.action as AuditEvent['action'],
    outcome: row.outcome as AuditEvent['outcome'],
    ...(row.pull_request_number !== null && {
      pullRequestNumber: Number(row.pull_request_number),
    }),
    ...(row.model !== null && { model: row.model }),
    ...(row.region !== null && { region: row.region }),
    ...(row.reason !== null && { reason: row.reason }),
    ...(row.github_login !== null && { githubLogin: row.github_login }),
    ...(row.event_key !== null && { key: row.event_key }),
  };
}
