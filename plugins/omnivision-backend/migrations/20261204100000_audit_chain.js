// @ts-check

/**
 * The audit trail becomes a hash chain with idempotency keys: each event gets its place in the
 * chain (`seq`, unique: the chain cannot fork), `prev_hash` and `hash` (sha256 over the previous
 * event's hash and its own content), an optional idempotency key (unique; NULLs never collide on
 * either database) and the GitHub login the action was made with. A one-row table holds the
 * chain's head, which each append locks. Events already in the trail are chained in id order:
 * the append-only trigger is lifted for that, and only that, and put back in the same
 * transaction; nothing else of them changes.
 */

const { createHash } = require('node:crypto');

const EVENTS = 'omnivision_audit_events';
const HEAD = 'omnivision_audit_chain_head';
const GENESIS = '0'.repeat(64);

/**
 * An event's hash as src/audit/auditChain.ts defines it (version 1), frozen here: a migration
 * runs from the package's migrations folder, without the plugin's sources, and must hash these
 * rows as they were hashed when it ran. The trail's tests prove the two agree.
 *
 * @param {string} prevHash
 * @param {any} row
 * @param {number} seq
 */
function hashOf(prevHash, row, seq) {
  const content = JSON.stringify([
    'omnivision-audit/1',
    seq,
    Number(row.at_ms),
    row.actor,
    row.action,
    row.outcome,
    row.pull_request_number === null ? null : Number(row.pull_request_number),
    row.model,
    row.region,
    row.reason,
    null,
    null,
  ]);
  return createHash('sha256').update(`${prevHash}\n${content}`).digest('hex');
}

/**
 * Runs `change` with the append-only trigger lifted, and puts it back.
 *
 * @param {import('knex').Knex} knex
 * @param {() => Promise<void>} change
 */
async function withoutAppendOnly(knex, change) {
  if (knex.client.config.client === 'pg') {
    await knex.raw(
      `ALTER TABLE ${EVENTS} DISABLE TRIGGER omnivision_audit_events_append_only`,
    );
    await change();
    await knex.raw(
      `ALTER TABLE ${EVENTS} ENABLE TRIGGER omnivision_audit_events_append_only`,
    );
    return;
  }
  const triggers = await knex('sqlite_master')
    .where({ type: 'trigger', tbl_name: EVENTS })
    .select('name', 'sql');
  for (const trigger of triggers) {
    await knex.raw(`DROP TRIGGER ${trigger.name}`);
  }
  await change();
  for (const trigger of triggers) {
    await knex.raw(trigger.sql);
  }
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable(EVENTS, table => {
    table
      .bigInteger('seq')
      .nullable()
      .comment('Place of the event in the hash chain, 1 for the first');
    table
      .string('event_key', 255)
      .nullable()
      .comment('Idempotency key: at most one event per key');
    table
      .string('github_login', 64)
      .nullable()
      .comment('The GitHub login the action was made with');
    table.string('prev_hash', 64).nullable();
    table
      .string('hash', 64)
      .nullable()
      .comment('sha256 over prev_hash and the content of the event');
    table.unique(['seq'], { indexName: 'omnivision_audit_events_by_seq' });
    table.unique(['event_key'], {
      indexName: 'omnivision_audit_events_by_key',
    });
  });

  await knex.schema.createTable(HEAD, table => {
    table.comment(
      'The last event of the audit hash chain: one row, locked by each append',
    );
    table.integer('id').primary();
    table.bigInteger('seq').notNullable();
    table.string('hash', 64).notNullable();
    table.bigInteger('event_id').nullable();
  });

  let head = {
    seq: 0,
    hash: GENESIS,
    eventId: /** @type {number|null} */ (null),
  };
  await withoutAppendOnly(knex, async () => {
    for (;;) {
      const rows = await knex(EVENTS)
        .select('*')
        .where('id', '>', head.eventId ?? 0)
        .orderBy('id', 'asc')
        .limit(500);
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = head.seq + 1;
        const hash = hashOf(head.hash, row, seq);
        await knex(EVENTS)
          .where('id', row.id)
          .update({ seq, prev_hash: head.hash, hash });
        head = { seq, hash, eventId: Number(row.id) };
      }
    }
  });
  await knex(HEAD).insert({
    id: 1,
    seq: head.seq,
    hash: head.hash,
    event_id: head.eventId,
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable(HEAD);
  await knex.schema.alterTable(EVENTS, table => {
    table.dropUnique(['event_key'], 'omnivision_audit_events_by_key');
    table.dropUnique(['seq'], 'omnivision_audit_events_by_seq');
  });
  // Native DROP COLUMN (SQLite 3.35+): knex would rebuild the table on SQLite, and lose its
  // triggers with it.
  for (const column of [
    'seq',
    'event_key',
    'github_login',
    'prev_hash',
    'hash',
  ]) {
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [EVENTS, column]);
  }
};
