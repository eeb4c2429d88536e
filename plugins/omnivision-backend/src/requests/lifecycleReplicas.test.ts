import { TestDatabases } from '@backstage/backend-test-utils';
import { requestFixture } from '@internal/plugin-omnivision-common/testUtils';
import { eventually } from '@internal/sandbox/testUtils';
import type { Knex } from 'knex';
import request from 'supertest';
import {
  approveAndMerge,
  as,
  openRequest,
  userRef,
} from '../__testUtils__/requestFlow';
import {
  DeploymentBackend,
  startDeploymentBackend,
} from '../__testUtils__/startDeploymentBackend';

jest.setTimeout(180_000);

/** The lifecycle events of a request in the audit trail, by action and region, read from the database. */
async function lifecycleEvents(knex: Knex, number: number) {
  const rows = await knex('omnivision_audit_events')
    .where('pull_request_number', number)
    .whereIn('action', ['deployment.synced', 'deployment.healthy'])
    .select('action', 'region');
  return rows.map(r => `${r.action} ${r.region}`).sort();
}

const ONCE_PER_REGION = [
  'deployment.healthy europe-west1',
  'deployment.healthy us-west-2',
  'deployment.synced europe-west1',
  'deployment.synced us-west-2',
];

describe('a merged request reaches healthy without anyone looking, recorded once', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'on %s, with two backends on one database when it is PostgreSQL',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend: DeploymentBackend = await startDeploymentBackend({
        sandboxSyncMs: 200,
        knex,
      });
      try {
        // A second replica: same database, same sandbox (webhooks go to the first, as a load
        // balancer would send them to one), its own fleet caches and reconciler.
        const replica =
          databaseId === 'POSTGRES_15'
            ? await backend.startReplica()
            : undefined;
        const number = await openRequest(
          backend,
          'maya-chen',
          requestFixture({ minReplicas: 1, maxReplicas: 2 }),
        );
        // Approved and merged on GitHub itself: no API read, no browser.
        await approveAndMerge(backend, number);
        const events = await eventually(async () => {
          const seen = await lifecycleEvents(knex, number);
          return seen.filter(e => e.startsWith('deployment.healthy')).length ===
            2
            ? seen
            : undefined;
        }, 120_000);
        // A few more reconciler runs on each replica add nothing.
        await new Promise(resolve => setTimeout(resolve, 4_000));
        expect(await lifecycleEvents(knex, number)).toEqual(ONCE_PER_REGION);
        expect(events).toEqual(ONCE_PER_REGION);

        for (const server of [backend.server, replica?.server]) {
          if (!server) continue;
          for (let i = 0; i < 20; i++) {
            const res = await request(server)
              .get(`/api/omnivision/requests/${number}`)
              .set('authorization', as(userRef('maya-chen')));
            expect(res.body.progress.state).toBe('healthy');
          }
        }
        expect(await lifecycleEvents(knex, number)).toEqual(ONCE_PER_REGION);
      } finally {
        await backend.stop();
      }
    },
  );
});
