import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readDeploymentConfig } from './DeploymentConfig';
import { DeploymentContextLoader } from './DeploymentContextLoader';
import { DeploymentPlanner } from './DeploymentPlanner';

/**
 * The deployment planner, as the backend's preview and requests and the scaffolder actions use
 * it: one per plugin, reading `omnivision.gpuProfiles`, `omnivision.regions` and
 * `omnivision.teamQuotas`, and the catalog as the person who asks.
 *
 * @public
 */
export const deploymentPlannerServiceRef = createServiceRef<DeploymentPlanner>({
  id: 'omnivision.deployment-planner',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
      },
      factory({ config, catalog }) {
        return DeploymentPlanner.create(
          DeploymentContextLoader.create({
            config: readDeploymentConfig(config),
            catalog,
          }),
        );
      },
    }),
});
