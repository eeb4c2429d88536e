import type { Knex } from 'knex';
import { AUDIT_CHAIN_GENESIS, auditEventHash } from './auditChain';
import { readAuditChainHead } from './auditChainHead';
import {
  AUDIT_EVENTS_TABLE,
  AuditEventRow,
  auditChainContentOf,
} from './auditEventRows';

/**
 * Why the chain breaks at an event: its content does not hash to its hash (`hash mismatch`), its
 * place is not the one after the previous event's (`gap`: events are missing), its `prev_hash` is
 * not the previous event's hash (`prev_hash mismatch`), or the chain does not end where its head
 * says (`head mismatch`: the last events are missing; the id is the one the head names).
 */
export type AuditChainBreak =
  | 'hash mismatch'
  | 'gap'
  | 'prev_hash mismatch'
  | 'head mismatch';

/** What verifying the audit trail's hash chain found. */
export type AuditChainVerification =
  | { valid: true; events: number; head: string }
  | {
      valid: false;
      /** The events that verified before the break. */
      events: number;
      brokenAt: { id: number; reason: AuditChainBreak };
    };

function breakOf(
  row: AuditEventRow,
  previous: { seq: number; hash: string },
): AuditChainBreak | undefined {
  if (
    row.seq === null ||
    row.prev_hash === null ||
    row.hash !== auditEventHash(row.prev_hash, auditChainContentOf(row))
  ) {
    return 'hash mismatch';
  }
  if (Number(row.seq) !== previous.seq + 1) return 'gap';
  if (row.prev_hash !== previous.hash) return 'prev_hash mismatch';
  return undefined;
}

/**
 * Walks the audit trail's hash chain from the first event to the head, a page at a time (constant
 * memory), and says where it breaks, if it does. Events appended while it walks are after the
 * head it read and are left to the next verification.
 */
export async function verifyAuditChain(
  knex: Knex,
  options: { pageSize?: number } = {},
): Promise<AuditChainVerification> {
  const pageSize = options.pageSize ?? 1000;
  const head = await readAuditChainHead(knex);
  const last = head.eventId ?? 0;
  let previous = { id: 0, seq: 0, hash: AUDIT_CHAIN_GENESIS };
  let events = 0;
  for (;;) {
    const rows: AuditEventRow[] = await knex(AUDIT_EVENTS_TABLE)
      .select('*')
      .where('id', '>', previous.id)
      .andWhere('id', '<=', last)
      .orderBy('id', 'asc')
      .limit(pageSize);
    for (const row of rows) {
      const reason = breakOf(row, previous);
      if (reason) {
        return {
          valid: false,
          events,
          brokenAt: { id: Number(row.id), reason },
        };
      }
      previous = { id: Number(row.id), seq: Number(row.seq), hash: row.hash! };
      events++;
    }
    if (rows.length < pageSize) break;
  }
  if (previous.seq !== head.seq || previous.hash !== head.hash) {
    return {
      valid: false,
      events,
      brokenAt: { id: last, reason: 'head mismatch' },
    };
  }
  return { valid: true, events, head: head.hash };
}
