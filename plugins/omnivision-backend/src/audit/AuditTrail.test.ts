import fs from 'node:fs';
import path from 'node:path';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { AUDIT_CHAIN_GENESIS, auditEventHash } from './auditChain';
import { auditChainContentOf } from './auditEventRows';
import { AuditQuery, AuditTrail } from './AuditTrail';
import { lifecycleEventKey } from './lifecycleEventKey';

jest.setTimeout(60_000);

describe('AuditTrail', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function open(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    // A new database service object each time: what a backend restart gets.
    const connect = () =>
      AuditTrail.create({
        database: { getClient: async () => knex } as DatabaseService,
      });
    return { knex, connect };
  }

  /**
   * What the database answers a statement: the message of the error it refuses it with, or
   * `not refused: …`. Not `rejects.toThrow`: better-sqlite3's native addon is loaded once per
   * Jest worker and keeps the SqliteError constructor of the first test file that opened a
   * database with it (`setErrorConstructor`, once per process). When another file ran first in
   * the worker (src/plugin.test.ts does), SQLite's errors here derive from that file's `Error`,
   * are not `instanceof Error` in this one, and `toThrow` reports them as "did not throw".
   */
  const refusal = (query: PromiseLike<unknown>) =>
    query.then(
      result => `not refused: ${JSON.stringify(result)}`,
      (error: Error) => String(error?.message ?? error),
    );

  it.each(databases.eachSupportedId())(
    'keeps every event across a backend restart on %s, oldest first, filtered',
    async databaseId => {
      const { connect } = await open(databaseId);
      const trail = await connect();
      const at = new Date('2026-11-24T09:00:00Z');
      await trail.append({
        at,
        actor: 'user:default/maya-chen',
        action: 'request.created',
        outcome: 'succeeded',
        pullRequestNumber: 7,
        model: 'vidgen-xl',
      });
      await trail.append({
        at: new Date(at.getTime() + 60_000),
        actor: 'user:default/maya-chen',
        action: 'review.approved',
        outcome: 'refused',
        pullRequestNumber: 7,
        model: 'vidgen-xl',
        reason: 'you cannot review your own deployment request',
      });

      const restarted = await connect();
      const events = await restarted.query();
      expect(events.map(e => [e.action, e.outcome, e.at])).toEqual([
        ['request.created', 'succeeded', '2026-11-24T09:00:00.000Z'],
        ['review.approved', 'refused', '2026-11-24T09:01:00.000Z'],
      ]);
      expect(events[1]).toMatchObject({
        actor: 'user:default/maya-chen',
        pullRequestNumber: 7,
        model: 'vidgen-xl',
        reason: 'you cannot review your own deployment request',
      });
      expect(
        (await restarted.query({ outcome: 'refused' })).map(e => e.action),
      ).toEqual(['review.approved']);
      expect(
        await restarted.query({ from: new Date(at.getTime() + 1) }),
      ).toHaveLength(1);
      expect(await restarted.query({ pullRequestNumber: 8 })).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'is append-only on %s: the database refuses to update or delete an event',
    async databaseId => {
      const { knex, connect } = await open(databaseId);
      const trail = await connect();
      await trail.append({
        actor: 'user:default/lena-fischer',
        action: 'pull-request.merged',
        outcome: 'succeeded',
        pullRequestNumber: 3,
      });
      expect(
        await refusal(
          knex('omnivision_audit_events').update({ actor: 'someone else' }),
        ),
      ).toMatch(/append-only/);
      expect(await refusal(knex('omnivision_audit_events').delete())).toMatch(
        /append-only/,
      );
      expect((await trail.query()).map(e => e.actor)).toEqual([
        'user:default/lena-fischer',
      ]);
    },
  );

  it("sends each event to Backstage's auditor too, refusals as failures", async () => {
    const { knex } = await open('SQLITE_3');
    const events: Array<{ eventId: string; result: string; meta: unknown }> =
      [];
    const auditor = {
      createEvent: async (options: any) => ({
        success: async () => {
          events.push({
            eventId: options.eventId,
            result: 'success',
            meta: options.meta,
          });
        },
        fail: async ({ error }: { error: Error }) => {
          events.push({
            eventId: options.eventId,
            result: `fail: ${error.message}`,
            meta: options.meta,
          });
        },
      }),
    };
    const audited = await AuditTrail.create({
      database: { getClient: async () => knex } as DatabaseService,
      auditor,
    });
    const refused = await audited.append({
      actor: 'user:default/maya-chen',
      action: 'review.approved',
      outcome: 'refused',
      pullRequestNumber: 4,
      reason: 'you cannot review your own deployment request',
    });
    const synced = {
      actor: 'omnivision-portal',
      action: 'deployment.synced',
      outcome: 'succeeded',
      pullRequestNumber: 4,
      region: 'us-west-2',
      key: 'lifecycle:4|deployment.synced|us-west-2|abc123|',
    } as const;
    await audited.append(synced);
    // Another replica saw the same sync: not recorded, not sent again.
    expect(await audited.append(synced)).toEqual({ recorded: false });
    const hashes = await knex('omnivision_audit_events')
      .orderBy('id')
      .pluck('hash');
    expect(events).toEqual([
      {
        eventId: 'review-approved',
        result: 'fail: you cannot review your own deployment request',
        meta: {
          actor: 'user:default/maya-chen',
          outcome: 'refused',
          pullRequestNumber: 4,
          auditEventId: refused.id,
          auditEventHash: hashes[0],
        },
      },
      {
        eventId: 'deployment-synced',
        result: 'success',
        meta: expect.objectContaining({
          region: 'us-west-2',
          auditEventHash: hashes[1],
        }),
      },
    ]);
  });

  it.each(databases.eachSupportedId())(
    'records an event with a key once on %s, appended one after another or all at once',
    async databaseId => {
      const { knex, connect } = await open(databaseId);
      const trail = await connect();
      const synced = {
        actor: 'omnivision-portal',
        action: 'deployment.synced',
        outcome: 'succeeded',
        pullRequestNumber: 7,
        region: 'us-west-2',
        key: lifecycleEventKey({
          pullRequestNumber: 7,
          action: 'deployment.synced',
          region: 'us-west-2',
          revision: '4f2c9e1',
        }),
      } as const;
      const first = await trail.append(synced);
      expect(first).toEqual({ recorded: true, id: expect.any(Number) });
      expect(await trail.append({ ...synced, reason: 'seen again' })).toEqual({
        recorded: false,
      });

      const healthy = {
        ...synced,
        action: 'deployment.healthy',
        key: 'h',
      } as const;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => trail.append(healthy)),
      );
      expect(results.filter(r => r.recorded)).toHaveLength(1);

      // Events without a key (people's attempts, refusals) never collide.
      for (const reason of ['one', 'two', 'two']) {
        await trail.append({ ...synced, key: undefined, reason });
      }
      expect(
        (await trail.query()).map(e => [e.action, e.key ?? null, e.reason]),
      ).toEqual([
        ['deployment.synced', synced.key, undefined],
        ['deployment.healthy', 'h', undefined],
        ['deployment.synced', null, 'one'],
        ['deployment.synced', null, 'two'],
        ['deployment.synced', null, 'two'],
      ]);

      // The database itself holds one event per key, whoever writes, and NULLs are distinct.
      const row = {
        at_ms: 0,
        actor: 'someone',
        action: 'deployment.synced',
        outcome: 'succeeded',
      };
      expect(
        await refusal(
          knex('omnivision_audit_events').insert({ ...row, event_key: 'h' }),
        ),
      ).toMatch(/unique/i);
      await knex('omnivision_audit_events').insert([row, row]);
    },
  );

  it.each(databases.eachSupportedId())(
    'chains each event to the one before on %s, and verifies the chain page by page',
    async databaseId => {
      const { knex, connect } = await open(databaseId);
      const trail = await connect();
      expect(await trail.verify()).toEqual({
        valid: true,
        events: 0,
        head: AUDIT_CHAIN_GENESIS,
      });
      for (let i = 0; i < 7; i++) {
        await trail.append({
          actor: 'user:default/maya-chen',
          action: 'review.approved',
          outcome: i % 2 ? 'refused' : 'succeeded',
          pullRequestNumber: i + 1,
          githubLogin: 'maya-chen',
          reason: `attempt ${i} — "quoted", ünïcödé`,
        });
      }
      const rows = await knex('omnivision_audit_events').orderBy('id');
      expect(rows[0].prev_hash).toBe(AUDIT_CHAIN_GENESIS);
      for (let i = 1; i < rows.length; i++) {
        expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
      }
      expect(await trail.verify({ pageSize: 3 })).toEqual({
        valid: true,
        events: 7,
        head: rows[6].hash,
      });
      expect((await trail.query())[0]).toMatchObject({
        githubLogin: 'maya-chen',
        reason: 'attempt 0 — "quoted", ünïcödé',
      });
    },
  );

  /** Lifts the append-only triggers, as someone with the database's credentials could. */
  async function dropAppendOnly(knex: Knex) {
    if (knex.client.config.client === 'pg') {
      await knex.raw(
        'DROP TRIGGER omnivision_audit_events_append_only ON omnivision_audit_events',
      );
    } else {
      await knex.raw('DROP TRIGGER omnivision_audit_events_no_update');
      await knex.raw('DROP TRIGGER omnivision_audit_events_no_delete');
    }
  }

  const tampering: Array<
    [
      string,
      (knex: Knex, ids: number[]) => Promise<unknown>,
      { at: number; reason: string; events: number },
    ]
  > = [
    [
      'a changed reason',
      (knex, ids) =>
        knex('omnivision_audit_events')
          .where('id', ids[4])
          .update({ reason: 'approved after all' }),
      { at: 4, reason: 'hash mismatch', events: 4 },
    ],
    [
      'a deleted event',
      (knex, ids) => knex('omnivision_audit_events').where('id', ids[4]).del(),
      { at: 5, reason: 'gap', events: 4 },
    ],
    [
      'an event rewritten with a hash of its own',
      async (knex, ids) => {
        const row = await knex('omnivision_audit_events')
          .where('id', ids[4])
          .first();
        const forged = { ...row, reason: 'approved after all' };
        await knex('omnivision_audit_events')
          .where('id', ids[4])
          .update({
            reason: forged.reason,
            hash: auditEventHash(row.prev_hash, auditChainContentOf(forged)),
          });
      },
      { at: 5, reason: 'prev_hash mismatch', events: 5 },
    ],
    [
      'the last events cut off',
      (knex, ids) =>
        knex('omnivision_audit_events').where('id', '>=', ids[8]).del(),
      { at: 9, reason: 'head mismatch', events: 8 },
    ],
  ];

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    it.each(tampering)('finds %s', async (_what, tamper, expected) => {
      const { knex, connect } = await open(databaseId);
      const trail = await connect();
      const ids: number[] = [];
      for (let i = 0; i < 10; i++) {
        const { id } = await trail.append({
          actor: 'user:default/lena-fischer',
          action: 'review.approved',
          outcome: 'succeeded',
          pullRequestNumber: 3,
          reason: `review ${i}`,
        });
        ids.push(id!);
      }
      await dropAppendOnly(knex);
      await tamper(knex, ids);
      expect(await trail.verify({ pageSize: 4 })).toEqual({
        valid: false,
        events: expected.events,
        brokenAt: { id: ids[expected.at], reason: expected.reason },
      });
    });
  });

  it.each(databases.eachSupportedId())(
    'keeps one chain and one event per key with two backends appending at once on %s',
    async databaseId => {
      const { knex, connect } = await open(databaseId);
      // PostgreSQL: a second connection pool, as a second replica has. SQLite has one writer.
      const other =
        databaseId === 'SQLITE_3' ? knex : knexFactory(knex.client.config);
      try {
        const first = await connect();
        const second = await AuditTrail.create({
          database: { getClient: async () => other } as DatabaseService,
        });
        const appends = (trail: AuditTrail, replica: string) =>
          Array.from({ length: 50 }, (_, i) =>
            trail.append({
              actor: 'omnivision-portal',
              action: 'deployment.healthy',
              outcome: 'succeeded',
              pullRequestNumber: 9,
              reason: replica,
              ...(i < 20 && { key: `healthy-${i}` }),
            }),
          );
        const results = await Promise.all([
          ...appends(first, 'first'),
          ...appends(second, 'second'),
        ]);
        expect(results.filter(r => r.recorded)).toHaveLength(80);
        const events = await second.query();
        expect(events).toHaveLength(80);
        expect(new Set(events.map(e => e.key).filter(Boolean)).size).toBe(20);
        expect(await first.verify()).toEqual({
          valid: true,
          events: 80,
          head: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
      } finally {
        if (other !== knex) await other.destroy();
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'reads page after page, filtered, without a cap on %s',
    async databaseId => {
      const { connect } = await open(databaseId);
      const trail = await connect();
      for (let i = 0; i < 1203; i++) {
        await trail.append({
          actor: 'user:default/maya-chen',
          action: 'request.read',
          outcome: i % 3 === 0 ? 'refused' : 'succeeded',
          reason: String(i),
        });
      }
      const pages = async (query: AuditQuery, limit: number) => {
        const sizes: number[] = [];
        const reasons: string[] = [];
        let after: number | undefined;
        do {
          const page = await trail.page(query, { after, limit });
          sizes.push(page.items.length);
          reasons.push(...page.items.map(e => e.reason!));
          after = page.nextCursor;
        } while (after !== undefined);
        return { sizes, reasons };
      };
      const all = Array.from({ length: 1203 }, (_, i) => String(i));
      expect(await pages({}, 500)).toEqual({
        sizes: [500, 500, 203],
        reasons: all,
      });
      expect((await pages({}, 401)).sizes).toEqual([401, 401, 401]);
      expect(await pages({ outcome: 'refused' }, 100)).toEqual({
        sizes: [100, 100, 100, 100, 1],
        reasons: all.filter((_, i) => i % 3 === 0),
      });
      const streamed: string[] = [];
      for await (const event of trail.stream({}, { pageSize: 250 })) {
        streamed.push(event.reason!);
      }
      expect(streamed).toEqual(all);
      expect(await trail.query()).toHaveLength(1203);
      await expect(trail.page({}, { limit: 5001 })).rejects.toThrow(
        /1 to 5000/,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'chains the events of a trail from before the chain on %s, and the migration goes back down',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const migrations = {
        directory: path.resolve(__dirname, '../../migrations'),
        tableName: 'omnivision_knex_migrations',
      };
      for (const name of [
        '20261124090000_cluster_figures.js',
        '20261124120000_deployment_requests.js',
      ]) {
        await knex.migrate.up({ ...migrations, name });
      }
      const before = Array.from({ length: 1203 }, (_, i) => ({
        at_ms: 1_764_000_000_000 + i * 1000,
        actor: i % 2 ? 'omnivision-portal' : 'user:default/maya-chen',
        action: i % 2 ? 'deployment.synced' : 'review.approved',
        outcome: i % 5 ? 'succeeded' : 'refused',
        pull_request_number: i % 7 ? i : null,
        model: i % 3 ? 'vidgen-xl' : null,
        region: i % 2 ? 'europe-west1' : null,
        reason: i % 4 ? `step ${i}: "ok", ünïcödé` : null,
      }));
      await knex.batchInsert('omnivision_audit_events', before, 200);
      const columns = Object.keys(before[0]);
      const original = await knex('omnivision_audit_events')
        .orderBy('id')
        .select('id', ...columns);

      const connect = () =>
        AuditTrail.create({
          database: { getClient: async () => knex } as DatabaseService,
        });
      const trail = await connect();
      expect(await trail.verify()).toMatchObject({ valid: true, events: 1203 });
      expect(
        await knex('omnivision_audit_events')
          .orderBy('id')
          .select('id', ...columns),
      ).toEqual(original);
      await trail.append({
        actor: 'user:default/lena-fischer',
        action: 'pull-request.merged',
        outcome: 'succeeded',
        githubLogin: 'lena-fischer',
      });
      expect(await trail.verify()).toMatchObject({ valid: true, events: 1204 });
      expect(
        await refusal(knex('omnivision_audit_events').update({ reason: 'x' })),
      ).toMatch(/append-only/);

      await knex.migrate.down({
        ...migrations,
        name: '20261204100000_audit_chain.js',
      });
      expect(
        await knex.schema.hasColumn('omnivision_audit_events', 'hash'),
      ).toBe(false);
      expect(await knex('omnivision_audit_events').count({ n: '*' })).toEqual([
        { n: databaseId === 'SQLITE_3' ? 1204 : '1204' },
      ]);
      expect(await refusal(knex('omnivision_audit_events').delete())).toMatch(
        /append-only/,
      );

      await knex.migrate.up({
        ...migrations,
        name: '20261204100000_audit_chain.js',
      });
      expect(await (await connect()).verify()).toMatchObject({
        valid: true,
        events: 1204,
      });
    },
  );

  it('has no update or delete path in code', () => {
    expect(
      Object.getOwnPropertyNames(AuditTrail.prototype).filter(
        name => name !== 'constructor',
      ),
    ).toEqual(['append', 'query', 'page', 'stream', 'verify']);
    // No source file of the plugin changes the table other than by insert.
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name))
          sources.push(file);
      }
    };
    walk(path.resolve(__dirname, '..'));
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      if (!text.includes('omnivision_audit_events')) continue;
      expect({
        file,
        writes: /\.(update|delete|del|truncate)\(/.test(text),
      }).toEqual({ file, writes: false });
    }
  });
});
