import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { OmniVisionPermissionPolicy } from './OmniVisionPermissionPolicy';

/**
 * Installs {@link OmniVisionPermissionPolicy} as the permission backend's policy.
 *
 * @public
 */
export const permissionModuleOmniVisionPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'omnivision-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, userInfo }) {
        policy.setPolicy(OmniVisionPermissionPolicy.create({ userInfo }));
      },
    });
  },
});
