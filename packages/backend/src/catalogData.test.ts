import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import request from 'supertest';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  ModelVersion,
  newestSignedVersion,
  readModelVersions,
} from '@internal/plugin-omnivision-common';

const repoRoot = path.resolve(__dirname, '../../..');

/**
 * The portal's own catalog data (the portal, its system and the organisation) must load through
 * the real catalog backend on both database engines the portal runs on: SQLite in development,
 * PostgreSQL in production.
 */
describe('the portal catalog data', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function waitForEntity(
    server: Parameters<typeof request>[0],
    entityPath: string,
  ) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(server).get(
        `/api/catalog/entities/by-name/${entityPath}`,
      );
      if (res.status === 200 || Date.now() > deadline) return res;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }

  it.each(databases.eachSupportedId())(
    'loads the portal, its system, services, clusters, models and teams on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                rules: [
                  { allow: ['Component', 'System', 'Domain', 'Resource'] },
                ],
                locations: [
                  { type: 'file', target: `${repoRoot}/catalog-info.yaml` },
                  { type: 'file', target: `${repoRoot}/catalog/system.yaml` },
                  {
                    type: 'file',
                    target: `${repoRoot}/catalog/clusters.yaml`,
                  },
                  {
                    type: 'file',
                    target: `${repoRoot}/catalog/services.yaml`,
                  },
                  { type: 'file', target: `${repoRoot}/catalog/models.yaml` },
                  {
                    type: 'file',
                    target: `${repoRoot}/catalog/org.yaml`,
                    rules: [{ allow: ['User', 'Group'] }],
                  },
                ],
              },
            },
          }),
        ],
      });

      const server = backend.server;
      try {
        const portal = await waitForEntity(
          server,
          'component/default/omnivision-portal',
        );
        expect(portal.status).toBe(200);
        expect(portal.body.spec).toMatchObject({
          owner: 'platform-team',
          system: 'omnivision',
        });

        const system = await waitForEntity(server, 'system/default/omnivision');
        expect(system.status).toBe(200);

        for (const team of ['data-science', 'platform-team', 'security']) {
          const group = await waitForEntity(server, `group/default/${team}`);
          expect(group.status).toBe(200);
          expect(group.body.spec.type).toBe('team');
        }

        // The clusters declare what no API shows, for the compliance page.
        for (const cluster of ['eks-us-west-2', 'gke-europe-west1']) {
          const entity = await waitForEntity(
            server,
            `resource/default/${cluster}`,
          );
          expect(entity.status).toBe(200);
          expect(entity.body.spec.type).toBe('kubernetes-cluster');
          expect(entity.body.metadata.annotations).toMatchObject({
            'omnivision.ai/encryption-at-rest': 'true',
            'omnivision.ai/admin-sign-in': 'entra-id',
          });
        }

        for (const service of ['omnivision-worker', 'omnivision-ui']) {
          const entity = await waitForEntity(
            server,
            `component/default/${service}`,
          );
          expect(entity.status).toBe(200);
          expect(entity.body.spec).toMatchObject({
            type: 'service',
            system: 'omnivision',
          });
        }

        // At least 8 models, each with the fields the deploy policy reads. Every model of the file
        // is waited for: the catalog stitches them one by one, so one being there says nothing of
        // the others.
        const modelNames = parseAllDocuments(
          fs.readFileSync(`${repoRoot}/catalog/models.yaml`, 'utf8'),
        ).map(doc => doc.toJS().metadata.name as string);
        for (const name of modelNames) {
          expect(
            (await waitForEntity(server, `resource/default/${name}`)).status,
          ).toBe(200);
        }
        const models = await request(server)
          .get('/api/catalog/entities/by-query')
          .query({ filter: 'kind=resource,spec.type=ai-model' });
        expect(models.body.items.length).toBeGreaterThanOrEqual(8);
        for (const model of models.body.items) {
          expect(model.spec.model).toMatchObject({
            imageRepository: expect.any(String),
            minGpuMemoryGiB: expect.any(Number),
            dataClassification: expect.any(String),
          });
          expect(model.spec.owner).toBeTruthy();
          // Its versions meet the one schema of them, and one of them is signed: a request that
          // names no version deploys it.
          const read = readModelVersions(model.spec.model.versions);
          expect(read).toEqual({ versions: expect.any(Array) });
          expect(newestSignedVersion(read.versions)).toBeDefined();
        }
        // Several models list two versions or more, and one lists an unsigned version (refused).
        const versions = models.body.items.map(
          (model: any) => model.spec.model.versions as ModelVersion[],
        );
        expect(
          versions.filter((v: ModelVersion[]) => v.length >= 2).length,
        ).toBeGreaterThanOrEqual(3);
        expect(
          versions.some((v: ModelVersion[]) => v.some(x => !x.signed)),
        ).toBe(true);

        const users = await request(server)
          .get('/api/catalog/entities/by-query')
          .query({ filter: 'kind=user' });
        expect(users.status).toBe(200);
        expect(users.body.items.length).toBeGreaterThanOrEqual(3);
      } finally {
        await backend.stop();
      }
    },
    90_000,
  );
});
