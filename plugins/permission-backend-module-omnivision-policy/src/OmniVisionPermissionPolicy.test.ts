import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateManagementPermission,
  templateParameterReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  omnivisionAuditReadPermission,
  omnivisionDeploymentCreatePermission,
  omnivisionDeploymentMergePermission,
  omnivisionDeploymentReviewPermission,
  omnivisionFleetReadPermission,
  omnivisionRequestReadPermission,
  omnivisionRolloutControlPermission,
} from '@internal/plugin-omnivision-common';
import { OmniVisionPermissionPolicy } from './OmniVisionPermissionPolicy';

/** People of catalog/org.yaml, one per role, and one in no team. */
const people: Record<string, string[]> = {
  'data-science': ['group:default/data-science'],
  'platform-team': ['group:default/platform-team'],
  security: ['group:default/security'],
  'no team': [],
};

const policy = OmniVisionPermissionPolicy.create({
  userInfo: mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      const role = ref.replace('user:default/', '');
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...people[role]],
      };
    },
  }),
});

async function decide(role: string, permission: Permission) {
  const decision = await policy.handle({ permission } as any, {
    credentials: mockCredentials.user(`user:default/${role}`),
    info: { userEntityRef: `user:default/${role}`, ownershipEntityRefs: [] },
  });
  return decision.result === AuthorizeResult.ALLOW ? 'allow' : 'deny';
}

const roles = ['data-science', 'platform-team', 'security', 'no team'];

// Each action, and who may do it; everyone else is refused.
const table: Array<[string, Permission, string[]]> = [
  ['read the fleet', omnivisionFleetReadPermission, roles],
  ['read deployment requests', omnivisionRequestReadPermission, roles],
  ['read the catalog', catalogEntityReadPermission, roles],
  ['read scaffolder tasks', taskReadPermission, roles],
  ['read template parameters', templateParameterReadPermission, roles],
  [
    'create a deployment request',
    omnivisionDeploymentCreatePermission,
    ['data-science'],
  ],
  ['run a template', taskCreatePermission, ['data-science']],
  ['execute a scaffolder action', actionExecutePermission, ['data-science']],
  [
    'approve a deployment request',
    omnivisionDeploymentReviewPermission,
    ['platform-team'],
  ],
  [
    'merge a deployment request',
    omnivisionDeploymentMergePermission,
    ['platform-team'],
  ],
  [
    "control a model's canary (promote, abort, pause, resume)",
    omnivisionRolloutControlPermission,
    ['platform-team'],
  ],
  [
    'read the audit trail',
    omnivisionAuditReadPermission,
    ['platform-team', 'security'],
  ],
  ['cancel a task', taskCancelPermission, ['platform-team']],
  ['manage templates', templateManagementPermission, ['platform-team']],
  ['create catalog entities', catalogEntityCreatePermission, ['platform-team']],
  ['delete catalog entities', catalogEntityDeletePermission, ['platform-team']],
  [
    'register a catalog location',
    catalogLocationCreatePermission,
    ['platform-team'],
  ],
  ['proxy to a cluster', kubernetesProxyPermission, ['platform-team']],
];

describe('OmniVisionPermissionPolicy', () => {
  describe.each(table)('%s', (_action, permission, allowed) => {
    it.each(roles)('%s', async role => {
      expect(await decide(role, permission)).toBe(
        allowed.includes(role) ? 'allow' : 'deny',
      );
    });
  });

  it('refuses a call without a person', async () => {
    const decision = await policy.handle({
      permission: omnivisionFleetReadPermission,
    });
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });
});
