import type { Knex } from 'knex';

const HEAD_TABLE = 'omnivision_audit_chain_head';

/** The last event of the audit trail's hash chain, as its one-row table holds it. */
export interface AuditChainHead {
  /** The last event's place in the chain; 0 while the trail is empty. */
  seq: number;
  /** The last event's hash; the genesis value while the trail is empty. */
  hash: string;
  /** The last event's id; null while the trail is empty. */
  eventId: number | null;
}

function headOf(row: {
  seq: number | string;
  hash: string;
  event_id: number | string | null;
}): AuditChainHead {
  return {
    seq: Number(row.seq),
    hash: row.hash,
    eventId: row.event_id === null ? null : Number(row.event_id),
  };
}

/** The chain's head as last committed. */
export async function readAuditChainHead(
  knex: Knex | Knex.Transaction,
): Promise<AuditChainHead> {
  const row = await knex(HEAD_TABLE).where('id', 1).first();
  if (!row) throw new Error('the audit chain has no head row');
  return headOf(row);
}

/**
 * Takes the chain's head for the rest of the transaction and reads it: appends run one at a time,
 * so the chain never forks. Its first statement writes (a no-op), which on PostgreSQL locks the
 * head row until commit, however many backends append, and on SQLite takes the database's write
 * lock at once (a deferred `BEGIN` that read first could not upgrade its lock under contention).
 */
export async function lockAuditChainHead(
  trx: Knex.Transaction,
): Promise<AuditChainHead> {
  const locked = await trx(HEAD_TABLE)
    .where('id', 1)
    .update({ seq: trx.ref('seq') });
  if (locked !== 1) throw new Error('the audit chain has no head row');
  return readAuditChainHead(trx);
}

/** Moves the chain's head to the event just appended, in the transaction that locked it. */
export async function advanceAuditChainHead(
  trx: Knex.Transaction,
  head: AuditChainHead,
): Promise<void> {
  await trx(HEAD_TABLE).where('id', 1).update({
    seq: head.seq,
    hash: head.hash,
    event_id: head.eventId,
  });
}
