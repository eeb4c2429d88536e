import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { omnivisionPlugin } from './plugin';

describe('each capability refuses with its own permission and message', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        omnivisionPlugin,
        mockServices.rootConfig.factory({ data: { omnivision: {} } }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
  });

  afterAll(() => backend?.stop());

  it.each([
    [
      '/api/omnivision/audit',
      'only platform-team and security may read the audit trail',
    ],
    [
      '/api/omnivision/audit?format=csv',
      'only platform-team and security may read the audit trail',
    ],
    ['/api/omnivision/requests', 'reading deployment requests is not allowed'],
    [
      '/api/omnivision/requests/7',
      'reading deployment requests is not allowed',
    ],
    ['/api/omnivision/fleet', 'reading the fleet status is not allowed'],
  ])('GET %s: 403 "%s"', async (path, message) => {
    const res = await request(backend.server).get(path);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(message);
  });
});
