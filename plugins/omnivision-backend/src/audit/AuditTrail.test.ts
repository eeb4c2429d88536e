import fs from 'node:fs';
import path from 'node:path';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { AuditTrail } from './AuditTrail';

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
      // What the database answers: the error of the refused statement.
      const refusal = (query: PromiseLike<unknown>) =>
        query.then(
          result => `not refused: ${JSON.stringify(result)}`,
          (error: Error) => error.message,
        );
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
    await audited.append({
      actor: 'user:default/maya-chen',
      action: 'review.approved',
      outcome: 'refused',
      pullRequestNumber: 4,
      reason: 'you cannot review your own deployment request',
    });
    expect(events).toEqual([
      {
        eventId: 'review-approved',
        result: 'fail: you cannot review your own deployment request',
        meta: {
          actor: 'user:default/maya-chen',
          outcome: 'refused',
          pullRequestNumber: 4,
        },
      },
    ]);
  });

  it('has no update or delete path in code', () => {
    expect(
      Object.getOwnPropertyNames(AuditTrail.prototype).filter(
        name => name !== 'constructor',
      ),
    ).toEqual(['append', 'query']);
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
