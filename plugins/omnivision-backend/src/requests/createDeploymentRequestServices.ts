import type {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeploymentConfig,
  DeploymentContextLoader,
  DeploymentPlanner,
  GitOpsPullRequests,
} from '@internal/plugin-omnivision-node';
import type { AuditTrail } from '../audit/AuditTrail';
import { CodeOwnerDirectory } from './CodeOwnerDirectory';
import { DeploymentPreviewer } from './DeploymentPreviewer';
import {
  DeploymentRequestReader,
  ModelDeploymentsSource,
} from './DeploymentRequestReader';
import { DeploymentRequestRecorder } from './DeploymentRequestRecorder';
import { DeploymentRequestReviewer } from './DeploymentRequestReviewer';
import { DeploymentRequestStore } from './DeploymentRequestStore';
import { GitHubWebhookSubscriber } from './GitHubWebhookSubscriber';
import { ModelChangePlanner } from './ModelChangePlanner';
import { RequestLifecycle } from './RequestLifecycle';
import { RequestNotifier } from './RequestNotifier';
import { RequestReconciler } from './RequestReconciler';
import { TeamGpuHoldingsReader } from './TeamGpuHoldingsReader';
import type { OmniVisionMetrics } from '../metrics';

/** The services of the deployment requests, present when `omnivision.gitops` is configured. */
export interface DeploymentRequestServices {
  previewer: DeploymentPreviewer;
  recorder: DeploymentRequestRecorder;
  reader: DeploymentRequestReader;
  reviewer: DeploymentRequestReviewer;
  lifecycle: RequestLifecycle;
  reconciler: RequestReconciler;
  webhooks: GitHubWebhookSubscriber;
}

/**
 * The services of the deploy form's preview and the deployment requests, over one request store
 * and the plugin's audit trail. The planner here counts what each team already holds across the
 * fleet (the GitOps repository's `main` and the open requests) against its quota.
 */
export async function createDeploymentRequestServices(options: {
  database: DatabaseService;
  audit: AuditTrail;
  deploymentConfig: DeploymentConfig;
  gitOps: GitOpsPullRequests;
  catalog: CatalogService;
  auth: AuthService;
  fleet: ModelDeploymentsSource;
  notifier: RequestNotifier;
  logger: LoggerService;
  /** The group whose members are the code owners and review requests. */
  approvers: string;
  /** `owner/repo` of the GitOps repository, whose webhooks are taken in. */
  repository: string;
  portalBaseUrl?: string;
  /** Where webhook deliveries are counted. */
  metrics?: OmniVisionMetrics;
}): Promise<DeploymentRequestServices> {
  const { audit, gitOps, catalog, notifier, logger, deploymentConfig } =
    options;
  const store = await DeploymentRequestStore.create({
    database: options.database,
  });
  const holdings = TeamGpuHoldingsReader.create({
    gitOps,
    store,
    profiles: deploymentConfig.profiles,
    regions: deploymentConfig.regions,
  });
  const planner = DeploymentPlanner.create(
    DeploymentContextLoader.create({
      config: deploymentConfig,
      catalog,
      holdings: (team, request) => holdings.held(team, request),
    }),
  );
  const lifecycle = RequestLifecycle.create({
    store,
    audit,
    gitOps,
    codeOwners: CodeOwnerDirectory.create({
      catalog,
      auth: options.auth,
      group: options.approvers,
    }),
    notifier,
    fleet: options.fleet,
    logger,
    portalBaseUrl: options.portalBaseUrl,
  });
  return {
    previewer: DeploymentPreviewer.create({ planner, catalog, gitOps }),
    recorder: DeploymentRequestRecorder.create({
      store,
      audit,
      planner,
      changes: ModelChangePlanner.create({
        planner,
        gitOps,
        store,
        regions: deploymentConfig.regions,
      }),
      catalog,
      lifecycle,
      notifier,
      approvers: options.approvers,
      logger,
    }),
    reader: DeploymentRequestReader.create({ store }),
    reviewer: DeploymentRequestReviewer.create({
      store,
      audit,
      gitOps,
      lifecycle,
    }),
    lifecycle,
    reconciler: RequestReconciler.create({ store, gitOps, lifecycle, logger }),
    webhooks: GitHubWebhookSubscriber.create({
      lifecycle,
      repository: options.repository,
      logger,
      metrics: options.metrics,
    }),
  };
}
