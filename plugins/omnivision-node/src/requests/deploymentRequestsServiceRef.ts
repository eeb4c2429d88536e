import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DefaultDeploymentRequestsService } from './DefaultDeploymentRequestsService';
import type { DeploymentRequestsService } from './DeploymentRequestsService';

/**
 * The OmniVision backend's deployment requests for other backend plugins (the scaffolder's
 * `omnivision:deployment:record`), over its HTTP API by default.
 *
 * @public
 */
export const deploymentRequestsServiceRef =
  createServiceRef<DeploymentRequestsService>({
    id: 'omnivision.deployment-requests',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          discovery: coreServices.discovery,
          auth: coreServices.auth,
        },
        factory({ discovery, auth }) {
          return DefaultDeploymentRequestsService.create({ discovery, auth });
        },
      }),
  });
