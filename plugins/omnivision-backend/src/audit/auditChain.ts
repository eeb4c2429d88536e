import { createHash } from 'node:crypto';

/** The `prev_hash` of the first event of the trail. */
export const AUDIT_CHAIN_GENESIS = '0'.repeat(64);

/** What an event's hash covers: everything the event says, and its place in the chain. */
export interface AuditChainContent {
  /** The event's place in the chain: 1 for the first, one more for each next. */
  seq: number;
  atMs: number;
  actor: string;
  action: string;
  outcome: string;
  pullRequestNumber: number | null;
  model: string | null;
  region: string | null;
  reason: string | null;
  key: string | null;
  githubLogin: string | null;
}

/**
 * The canonical form of an event's content, version 1: a JSON array of its fields in a fixed
 * order, absent ones as `null`. The one definition the trail hashes with; the migration that
 * introduced the chain (`migrations/20261204100000_audit_chain.js`) holds a frozen copy for the
 * rows it backfilled, and the trail's tests prove the two agree.
 */
export function canonicalAuditContent(content: AuditChainContent): string {
  return JSON.stringify([
    'omnivision-audit/1',
    content.seq,
    content.atMs,
    content.actor,
    content.action,
    content.outcome,
    content.pullRequestNumber,
    content.model,
    content.region,
    content.reason,
    content.key,
    content.githubLogin,
  ]);
}

/** An event's hash: sha256 (hex) over the previous event's hash and the event's own content. */
export function auditEventHash(
  prevHash: string,
  content: AuditChainContent,
): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalAuditContent(content)}`)
    .digest('hex');
}
