import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  evaluateDeploymentPolicy,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import {
  contextFixture,
  requestFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import { DeploymentRequestStore } from './DeploymentRequestStore';

jest.setTimeout(60_000);

describe('DeploymentRequestStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  const record = {
    ...requestFixture(),
    pullRequestNumber: 7,
    pullRequestUrl: 'https://github.example/o/r/pull/7',
    branch: 'omnivision/deploy-vidgen-xl-0a1b2c3d',
    requester: 'user:default/maya-chen',
    team: 'group:default/data-science',
    policyResults: evaluateDeploymentPolicy(requestFixture(), contextFixture()),
    filesDigest: `sha256:${'d'.repeat(64)}`,
  };

  it.each(databases.eachSupportedId())(
    'keeps what a request does and the version it resolved on %s; a record from before kinds reads as a deployment without a version',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DeploymentRequestStore.create({
        database: { getClient: async () => knex } as DatabaseService,
      });
      await store.upsert({ ...record, kind: 'rollback', version: '2.0.0' });
      await store.upsert({
        ...record,
        pullRequestNumber: 9,
        kind: 'retire',
        gpuProfile: '',
        minReplicas: 0,
        maxReplicas: 0,
      });
      await store.upsert({ ...record, pullRequestNumber: 10 });
      const read = async (n: number) => {
        const { kind, version } = (await store.get(n))!.record;
        return { kind, version };
      };
      expect(await read(7)).toEqual({ kind: 'rollback', version: '2.0.0' });
      expect(await read(9)).toEqual({ kind: 'retire', version: undefined });
      expect(await read(10)).toEqual({ kind: 'deploy', version: undefined });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps every policy result with its outcome on %s, and reads the rule names of older records as passed results',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DeploymentRequestStore.create({
        database: { getClient: async () => knex } as DatabaseService,
      });
      await store.upsert(record);
      expect((await store.get(7))!.record.policyResults).toEqual(
        record.policyResults,
      );
      expect(modelNameOf((await store.get(7))!.record.model)).toBe('vidgen-xl');

      // A record written before the policy returned its results: the names of the rules passed.
      await store.upsert({ ...record, pullRequestNumber: 8 });
      await knex('omnivision_deployment_requests')
        .where('pull_request_number', 8)
        .update({
          policy_results: JSON.stringify([
            'model in the catalog, an ai-model',
            'GPU profile offered in each region',
            'team quota (8 GPUs)',
          ]),
        });
      expect((await store.get(8))!.record.policyResults).toEqual([
        {
          rule: 'model',
          passed: true,
          message: 'model in the catalog, an ai-model',
        },
        {
          rule: 'placement',
          passed: true,
          message: 'GPU profile offered in each region',
        },
        { rule: 'quota', passed: true, message: 'team quota (8 GPUs)' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the requester fixed and records each observation once on %s, however many stores write it',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const database = { getClient: async () => knex } as DatabaseService;
      const store = await DeploymentRequestStore.create({ database });
      await store.upsert(record);
      await expect(
        store.upsert({ ...record, requester: 'user:default/omar-haddad' }),
      ).rejects.toThrow(
        "pull request #7 is user:default/maya-chen's request; it stays theirs",
      );
      expect((await store.get(7))!.record.requester).toBe(
        'user:default/maya-chen',
      );

      // A second replica's store over the same database.
      const other = await DeploymentRequestStore.create({
        database: { getClient: async () => knex } as DatabaseService,
      });
      const observation = {
        stage: 'synced' as const,
        region: 'us-west-2',
        revision: 'a'.repeat(40),
        at: '2026-12-04T10:00:00.000Z',
        detail: 'aaaaaaa',
      };
      const inserted = await Promise.all([
        store.addObservation(7, observation),
        other.addObservation(7, observation),
        store.addObservation(7, observation),
      ]);
      expect(inserted.filter(Boolean)).toHaveLength(1);
      await store.addObservation(7, {
        ...observation,
        stage: 'canary',
        step: 2,
      });
      expect((await other.observations([7])).get(7)).toEqual([
        observation,
        { ...observation, stage: 'canary', step: 2 },
      ]);
    },
  );
});
