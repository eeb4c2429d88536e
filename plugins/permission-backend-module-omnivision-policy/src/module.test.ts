import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  omnivisionDeploymentCreatePermission,
  omnivisionDeploymentReviewPermission,
} from '@internal/plugin-omnivision-common';
import request from 'supertest';
import policyModule from './index';

describe('the permission backend with the OmniVision policy', () => {
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        permissionPlugin,
        policyModule,
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs:
                ref === 'user:default/maya-chen'
                  ? [ref, 'group:default/data-science']
                  : [ref, 'group:default/platform-team'],
            };
          },
        }).factory,
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(() => stop?.());

  async function authorize(user: string, permission: { name: string }) {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('authorization', mockCredentials.user.header(user))
      .send({
        items: [
          {
            id: '1',
            permission: {
              type: 'basic',
              ...permission,
              attributes: (permission as any).attributes,
            },
          },
        ],
      });
    return res;
  }

  it('answers with the policy: a data scientist creates, an approver reviews', async () => {
    const create = await authorize(
      'user:default/maya-chen',
      omnivisionDeploymentCreatePermission,
    );
    expect(create.status).toBe(200);
    expect(create.body.items[0].result).toBe('ALLOW');
    const review = await authorize(
      'user:default/maya-chen',
      omnivisionDeploymentReviewPermission,
    );
    expect(review.body.items[0].result).toBe('DENY');
    const approve = await authorize(
      'user:default/lena-fischer',
      omnivisionDeploymentReviewPermission,
    );
    expect(approve.body.items[0].result).toBe('ALLOW');
  });

  it('refuses a call without credentials with 401', async () => {
    const res = await request(server)
      .post('/api/permission/authorize')
      .set('authorization', mockCredentials.none.header())
      .send({ items: [] });
    expect(res.status).toBe(401);
  });
});
