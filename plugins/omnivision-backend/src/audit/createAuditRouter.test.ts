import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { AuditTrail } from './AuditTrail';
import { createAuditRouter } from './createAuditRouter';

jest.setTimeout(60_000);

const lena = 'user:default/lena-fischer';
const omar = 'user:default/omar-haddad';
const EVENTS = 1203;

describe('the audit routes', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let trail: AuditTrail;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        // The audit trail's routes alone, as the plugin mounts them.
        createBackendPlugin({
          pluginId: 'omnivision',
          register(env) {
            env.registerInit({
              deps: {
                database: coreServices.database,
                httpAuth: coreServices.httpAuth,
                httpRouter: coreServices.httpRouter,
                permissions: coreServices.permissions,
              },
              async init(deps) {
                trail = await AuditTrail.create({ database: deps.database });
                deps.httpRouter.use(
                  await createAuditRouter({ ...deps, audit: trail }),
                );
              },
            });
          },
        }),
        // Platform-team (lena) reads the audit trail; nobody else does.
        mockServices.permissions.mock({
          authorize: async (requests, options) =>
            requests.map(() => ({
              result:
                (options?.credentials.principal as any).userEntityRef === lena
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            })),
        }).factory,
      ],
    });
    for (let i = 0; i < EVENTS; i++) {
      await trail.append({
        actor: i === 7 ? '=HYPERLINK("http://evil")' : 'user:default/maya-chen',
        action: 'request.read',
        outcome: 'succeeded',
        pullRequestNumber: i + 1,
        githubLogin: 'maya-chen',
      });
    }
  });

  afterAll(() => backend?.stop());

  const get = (path: string, who = lena) =>
    request(backend.server)
      .get(`/api/omnivision${path}`)
      .set('authorization', mockCredentials.user.header(who));

  it('answers JSON a page at a time, 500 by default, with a cursor to the next', async () => {
    const first = await get('/audit');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(500);
    expect(first.body.items[0]).toMatchObject({
      actor: 'user:default/maya-chen',
      action: 'request.read',
      pullRequestNumber: 1,
      githubLogin: 'maya-chen',
    });
    const pulls: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await get(
        `/audit?limit=400${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      pulls.push(...res.body.items.map((e: any) => e.pullRequestNumber));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pulls).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));

    expect((await get('/audit?limit=5001')).status).toBe(400);
    expect((await get('/audit?cursor=abc')).status).toBe(400);
  });

  it('streams every matching event as CSV, formulas defused', async () => {
    const res = await get('/audit?format=csv&action=request.read');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain(
      'omnivision-audit.csv',
    );
    const lines = res.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,actor,action,outcome,pullRequestNumber,model,region,reason,githubLogin,key',
    );
    expect(lines).toHaveLength(1 + EVENTS);
    expect(lines[8]).toContain(`,"'=HYPERLINK(""http://evil"")",`);

    const paged = await get('/audit?format=csv&limit=10');
    expect(paged.status).toBe(400);
    expect(paged.body.error.message).toContain('limit and cursor');
  });

  it('exports the whole filtered trail as one JSON array or as CSV', async () => {
    const json = await get('/audit/export?format=json&action=request.read');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.body).toHaveLength(EVENTS);
    expect(json.body[EVENTS - 1].pullRequestNumber).toBe(EVENTS);

    const filtered = await get('/audit/export?pullRequest=8');
    expect(filtered.body.map((e: any) => e.actor)).toEqual([
      '=HYPERLINK("http://evil")',
    ]);

    const csv = await get('/audit/export?format=csv&action=request.read');
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(1 + EVENTS);
  });

  it('verifies the hash chain', async () => {
    const res = await get('/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      events: expect.any(Number),
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('refuses, and records as audit.read, a reader without the permission, a service and bad input', async () => {
    const before = (await trail.page({ action: 'audit.read' })).items.length;
    for (const path of ['/audit', '/audit/export', '/audit/verify']) {
      const res = await get(path, omar);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'only platform-team and security may read the audit trail',
      );
    }
    const service = await request(backend.server)
      .get('/api/omnivision/audit/verify')
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:catalog'),
          targetPluginId: 'omnivision',
        }),
      );
    expect(service.status).toBe(403);
    expect((await get('/audit?action=deleted')).status).toBe(400);

    const refused = (await trail.query({ action: 'audit.read' })).slice(before);
    expect(refused.map(e => [e.actor, e.outcome, e.reason])).toEqual([
      [
        omar,
        'refused',
        'only platform-team and security may read the audit trail',
      ],
      [
        omar,
        'refused',
        'only platform-team and security may read the audit trail',
      ],
      [
        omar,
        'refused',
        'only platform-team and security may read the audit trail',
      ],
      [
        'plugin:catalog',
        'refused',
        "This endpoint does not allow 'service' credentials",
      ],
      [lena, 'refused', expect.stringMatching(/^invalid audit query: action /)],
    ]);
    expect(await trail.verify()).toMatchObject({ valid: true });
  });
});
