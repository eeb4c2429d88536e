import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { omnivisionPermissions } from '@internal/plugin-omnivision-common';
import {
  deploymentPlannerServiceRef,
  gitOpsPullRequestsServiceRef,
} from '@internal/plugin-omnivision-node';
import { AuditTrail } from './audit/AuditTrail';
import { createAuditRouter } from './audit/createAuditRouter';
import { createDeploymentRequestServices } from './requests/createDeploymentRequestServices';
import { createRequestsRouter } from './requests/createRequestsRouter';
import { createFleetRouter } from './fleet/createFleetRouter';
import { readFleetConfig } from './fleet/FleetConfig';
import { DeclaredControlsReader } from './fleet/DeclaredControlsReader';
import { FleetStatusService } from './fleet/FleetStatusService';
import { HistoryStore } from './fleet/HistoryStore';
import { HistoryRecorder } from './fleet/HistoryRecorder';

/**
 * The OmniVision backend under `/api/omnivision`: the fleet's status (clusters, GPUs, warm pool,
 * compliance, model deployments) from watch caches of every cluster and its history; the deploy
 * form's preview and the deployment requests; the audit trail. Each capability has its router.
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
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        planner: deploymentPlannerServiceRef,
        gitOps: gitOpsPullRequestsServiceRef,
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
          retentionMs: fleetConfig.history.retentionMs,
        }).schedule(deps.scheduler);

        const audit = await AuditTrail.create({
          database: deps.database,
          auditor: deps.auditor,
        });
        // The deploy form's preview and the requests, with the scaffolder actions' planner.
        const deploymentRequests = config.has('omnivision.gitops')
          ? await createDeploymentRequestServices({
              database: deps.database,
              audit,
              planner: deps.planner,
              gitOps: deps.gitOps,
              catalog: deps.catalog,
              fleet,
            })
          : undefined;

        deps.permissionsRegistry.addPermissions(omnivisionPermissions);
        deps.httpRouter.use(
          await createFleetRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            fleet,
            history,
          }),
        );
        deps.httpRouter.use(
          await createRequestsRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            services: deploymentRequests,
          }),
        );
        deps.httpRouter.use(
          await createAuditRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit,
          }),
        );
      },
    });
  },
});
