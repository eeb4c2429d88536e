import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  omnivisionPermissions,
  readGpuProfiles,
} from '@internal/plugin-omnivision-common';
import {
  gitOpsPullRequestsServiceRef,
  readDeploymentConfig,
} from '@internal/plugin-omnivision-node';
import { AuditTrail } from './audit/AuditTrail';
import { createAuditRouter } from './audit/createAuditRouter';
import { createDeploymentRequestServices } from './requests/createDeploymentRequestServices';
import { RequestNotifier } from './requests/RequestNotifier';
import { createRequestsRouter } from './requests/createRequestsRouter';
import { createFleetRouter } from './fleet/createFleetRouter';
import { createModelsRouter } from './models/createModelsRouter';
import { createRolloutsRouter } from './rollouts/createRolloutsRouter';
import { readFleetConfig } from './fleet/FleetConfig';
import { createClusterAuthStrategies } from './fleet/kubernetes/clusterAuthStrategies';
import { DeclaredControlsReader } from './fleet/DeclaredControlsReader';
import { FleetDocuments } from './fleet/FleetDocuments';
import { FleetStatusService } from './fleet/FleetStatusService';
import { HistoryStore } from './fleet/HistoryStore';
import { HistoryRecorder } from './fleet/HistoryRecorder';
import { OmniVisionMetrics } from './metrics';

/**
 * The OmniVision backend under `/api/omnivision`: the fleet's status (clusters, GPUs, warm pool,
 * compliance, model deployments) from watch caches of every cluster and its history; the deploy
 * form's preview and the deployment requests, kept current by GitHub's webhooks (through the
 * events backend), a scheduled reconciler and the fleet caches, announced through signals and
 * notifications; the control of a model's canary (promote, abort, pause, resume its Rollout);
 * the audit trail. Each capability has its router.
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
        gitOps: gitOpsPullRequestsServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        metrics: metricsServiceRef,
      },
      async init(deps) {
        const { config, logger, lifecycle } = deps;
        const metrics = OmniVisionMetrics.create(deps.metrics);
        metrics.observeGitHubRateLimits(() => deps.gitOps.rateLimits());
        const fleetConfig = readFleetConfig(config);
        for (const { cluster, reason } of fleetConfig.skipped) {
          logger.warn(`not watching cluster ${cluster}: ${reason}`);
        }
        const declaredControls = DeclaredControlsReader.create({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
        });
        const fleet = FleetStatusService.create({
          clusters: fleetConfig.clusters,
          authStrategies: createClusterAuthStrategies(config),
          warmPool: fleetConfig.warmPool,
          timings: fleetConfig.timings,
          declaredControls,
          logger,
          metrics,
        });
        fleet.start();
        // The fleet's answers, built once per change; open pages hear of changes by signal.
        const fleetDocuments = FleetDocuments.create({
          fleet,
          signals: deps.signals,
          logger,
        });
        fleetDocuments.start();
        // The catalog answers once the backend has started.
        lifecycle.addStartupHook(() => declaredControls.start());
        lifecycle.addShutdownHook(() => {
          fleetDocuments.stop();
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
          metrics,
        });
        // The deploy form's preview and the requests, their lifecycle driven by events.
        const requestsConfig = config.getOptionalConfig('omnivision.requests');
        const every = (key: string, seconds: number) =>
          requestsConfig?.has(key)
            ? readDurationFromConfig(requestsConfig, { key })
            : { seconds };
        const deploymentRequests = config.has('omnivision.gitops')
          ? await createDeploymentRequestServices({
              database: deps.database,
              audit,
              deploymentConfig: readDeploymentConfig(config),
              gitOps: deps.gitOps,
              catalog: deps.catalog,
              auth: deps.auth,
              fleet,
              notifier: RequestNotifier.create({
                signals: deps.signals,
                notifications: deps.notifications,
                logger,
              }),
              logger,
              approvers:
                config.getOptionalString('omnivision.gitops.approvers') ??
                'group:default/platform-team',
              repository: `${config.getString(
                'omnivision.gitops.owner',
              )}/${config.getString('omnivision.gitops.repo')}`,
              portalBaseUrl: config.getOptionalString('app.baseUrl'),
              metrics,
            })
          : undefined;
        if (deploymentRequests) {
          await deploymentRequests.webhooks.subscribe(deps.events);
          await deploymentRequests.reconciler.schedule(deps.scheduler, {
            github: every('reconcileInterval', 30),
            fleet: every('observeInterval', 5),
          });
        }

        deps.permissionsRegistry.addPermissions(omnivisionPermissions);
        deps.httpRouter.use(
          await createFleetRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            documents: fleetDocuments,
            history,
          }),
        );
        deps.httpRouter.use(
          await createModelsRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            catalog: deps.catalog,
            fleet,
            documents: fleetDocuments,
            profiles: readGpuProfiles(config),
          }),
        );
        deps.httpRouter.use(
          await createRequestsRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            permissions: deps.permissions,
            audit,
            logger,
            services: deploymentRequests,
          }),
        );
        deps.httpRouter.use(
          await createRolloutsRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            fleet,
            audit,
            logger,
          }),
        );
        deps.httpRouter.use(
          await createAuditRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit,
            logger,
          }),
        );
      },
    });
  },
});
