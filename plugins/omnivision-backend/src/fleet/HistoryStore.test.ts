import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import type { ClusterFigures } from '@internal/plugin-omnivision-common';
import { HistoryStore } from './HistoryStore';
import { HistoryRecorder } from './HistoryRecorder';

jest.setTimeout(60_000);

const figures = (headroom: number): ClusterFigures => ({
  headroom,
  placeholderGpus: 24,
  gpusAllocatable: 120,
  gpusRequested: 42,
  gpusFree: 78,
  nodesReady: 27,
  gpuNodesReady: 24,
  pendingGpuPods: 0,
  complianceScore: 1,
});

describe('HistoryStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = { getClient: async () => knex } as DatabaseService;
    return { knex, store: await HistoryStore.create({ database }) };
  }

  it.each(databases.eachSupportedId())(
    'records figures and answers one metric of one cluster over a range, on %s',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const t = (minute: number) => new Date(Date.UTC(2026, 10, 24, 8, minute));
      await store.record([
        {
          cluster: 'eks',
          takenAt: t(0),
          reachable: true,
          figures: figures(0.2),
        },
        {
          cluster: 'gke',
          takenAt: t(0),
          reachable: true,
          figures: figures(0.5),
        },
        { cluster: 'eks', takenAt: t(1), reachable: false },
        {
          cluster: 'eks',
          takenAt: t(2),
          reachable: true,
          figures: figures(0.25),
        },
        {
          cluster: 'eks',
          takenAt: t(9),
          reachable: true,
          figures: figures(0.3),
        },
      ]);
      await expect(
        store.query({
          cluster: 'eks',
          metric: 'headroom',
          from: t(0),
          to: t(2),
        }),
      ).resolves.toEqual([
        { at: '2026-11-24T08:00:00.000Z', value: 0.2 },
        { at: '2026-11-24T08:01:00.000Z', value: null },
        { at: '2026-11-24T08:02:00.000Z', value: 0.25 },
      ]);
      await expect(
        store.query({
          cluster: 'gke',
          metric: 'gpusFree',
          from: t(0),
          to: t(59),
        }),
      ).resolves.toEqual([{ at: '2026-11-24T08:00:00.000Z', value: 78 }]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the figures across a restart and drops only what is past the retention, on %s',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const now = new Date('2026-11-24T08:00:00Z');
      const day = 24 * 60 * 60 * 1000;
      await store.record([
        {
          cluster: 'eks',
          takenAt: new Date(now.getTime() - 31 * day),
          reachable: true,
          figures: figures(0.1),
        },
        {
          cluster: 'eks',
          takenAt: new Date(now.getTime() - 29 * day),
          reachable: true,
          figures: figures(0.2),
        },
      ]);
      // The fleet: one synced cluster and one never reached.
      const fleet = {
        fleet: () =>
          ({
            generatedAt: now.toISOString(),
            clusters: [
              {
                name: 'eks',
                health: { reachable: true, synced: true },
                gpu: {
                  nodesTotal: 3,
                  nodesReady: 3,
                  gpuNodes: 2,
                  gpuNodesReady: 2,
                  pendingGpuPods: 1,
                  gpus: [
                    {
                      product: 'A10G',
                      resource: 'nvidia.com/gpu',
                      nodes: 2,
                      allocatable: 8,
                      requested: 3,
                      free: 5,
                    },
                  ],
                },
                warmPool: { headroom: 0.25, placeholderGpus: 2 },
                compliance: { score: 0.75 },
              },
              {
                name: 'gke',
                health: { reachable: false, synced: false },
              },
            ],
          } as any),
      };
      const logger = { info: jest.fn() } as any;
      await HistoryRecorder.create({
        fleet,
        store,
        logger,
        retentionMs: 30 * day,
      }).recordOnce(now);

      // A new store over the same database (a backend restart) sees the same rows.
      const restarted = await HistoryStore.create({
        database: { getClient: async () => knex } as DatabaseService,
      });
      const range = { from: new Date(now.getTime() - 40 * day), to: now };
      await expect(
        restarted.query({ cluster: 'eks', metric: 'headroom', ...range }),
      ).resolves.toEqual([
        { at: new Date(now.getTime() - 29 * day).toISOString(), value: 0.2 },
        { at: now.toISOString(), value: 0.25 },
      ]);
      await expect(
        restarted.query({ cluster: 'eks', metric: 'gpusFree', ...range }),
      ).resolves.toEqual([
        { at: new Date(now.getTime() - 29 * day).toISOString(), value: 78 },
        { at: now.toISOString(), value: 5 },
      ]);
      await expect(
        restarted.query({ cluster: 'gke', metric: 'headroom', ...range }),
      ).resolves.toEqual([{ at: now.toISOString(), value: null }]);
      expect(logger.info).toHaveBeenCalledWith(
        'dropped 1 history rows older than 30 days',
      );
    },
  );
});
