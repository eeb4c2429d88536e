import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { omnivisionPermissions } from '@internal/plugin-omnivision-common';
import {
  DeploymentContextLoader,
  DeploymentPlanner,
  gitOpsRepositoryLocator,
  readDeploymentConfig,
} from '@internal/plugin-omnivision-node';
import { createRouter } from './router';
import { DeploymentPreviewer } from './services/DeploymentPreviewer';
import { readFleetConfig } from './services/FleetConfig';
import { DeclaredControlsReader } from './services/DeclaredControlsReader';
import { FleetStatusService } from './services/FleetStatusService';
import { HistoryStore } from './services/HistoryStore';
import { HistoryRecorder } from './services/HistoryRecorder';

/**
 * The OmniVision backend: the fleet's status (clusters, GPUs, warm pool, compliance, model
 * deployments) from watch caches of every cluster, its history, and the deploy form's preview,
 * under `/api/omnivision`.
 *
 * @public
 */
export const omnivisionPlugin = createBackendPlugin({
  pluginId: 'omnivision',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, lifecycle } = deps;
        const fleetConfig = readFleetConfig(config);
        const declaredControls = DeclaredControlsReader.create({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
        });
        const fleet = FleetStatusService.create({
          clusters: fleetConfig.clusters,
          warmPool: fleetConfig.warmPool,
          timings: fleetConfig.timings,
          declaredControls,
          logger,
        });
        fleet.start();
        // The catalog answers once the backend has started.
        lifecycle.addStartupHook(() => declaredControls.start());
        lifecycle.addShutdownHook(() => {
          fleet.stop();
          declaredControls.stop();
        });
        logger.info(
          `watching ${
            fleet.clusterNames.length
          } clusters: ${fleet.clusterNames.join(', ')}`,
        );

        const history = await HistoryStore.create({ database: deps.database });
        await HistoryRecorder.create({
          fleet,
          store: history,
          logger,
          retentionDays: fleetConfig.history.retentionDays,
        }).schedule(deps.scheduler);

        // The deploy form's preview, with the scaffolder actions' own planner.
        const deploymentPreviewer = config.has('omnivision.gitops')
          ? DeploymentPreviewer.create({
              planner: DeploymentPlanner.create(
                DeploymentContextLoader.create({
                  config: readDeploymentConfig(config),
                  catalog: deps.catalog,
                }),
              ),
              catalog: deps.catalog,
              repository: gitOpsRepositoryLocator(config),
            })
          : undefined;

        deps.permissionsRegistry.addPermissions(omnivisionPermissions);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            fleet,
            history,
            deploymentPreviewer,
          }),
        );
      },
    });
  },
});
