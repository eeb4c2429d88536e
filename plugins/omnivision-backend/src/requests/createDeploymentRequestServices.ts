import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  DeploymentPlanner,
  GitOpsPullRequests,
} from '@internal/plugin-omnivision-node';
import type { AuditTrail } from '../audit/AuditTrail';
import { DeploymentObservationRecorder } from './DeploymentObservationRecorder';
import { DeploymentPreviewer } from './DeploymentPreviewer';
import {
  DeploymentRequestReader,
  ModelDeploymentsSource,
} from './DeploymentRequestReader';
import { DeploymentRequestRecorder } from './DeploymentRequestRecorder';
import { DeploymentRequestReviewer } from './DeploymentRequestReviewer';
import { DeploymentRequestStore } from './DeploymentRequestStore';

/** The services of the deployment requests, present when `omnivision.gitops` is configured. */
export interface DeploymentRequestServices {
  previewer: DeploymentPreviewer;
  recorder: DeploymentRequestRecorder;
  reader: DeploymentRequestReader;
  reviewer: DeploymentRequestReviewer;
}

/**
 * The services of the deploy form's preview and the deployment requests, over one request store
 * and the plugin's audit trail.
 */
export async function createDeploymentRequestServices(options: {
  database: DatabaseService;
  audit: AuditTrail;
  planner: DeploymentPlanner;
  gitOps: GitOpsPullRequests;
  catalog: CatalogService;
  fleet: ModelDeploymentsSource;
}): Promise<DeploymentRequestServices> {
  const { audit, planner, gitOps, catalog } = options;
  const store = await DeploymentRequestStore.create({
    database: options.database,
  });
  return {
    previewer: DeploymentPreviewer.create({ planner, catalog, gitOps }),
    recorder: DeploymentRequestRecorder.create({
      store,
      audit,
      planner,
      catalog,
    }),
    reader: DeploymentRequestReader.create({
      store,
      gitOps,
      fleet: options.fleet,
      observations: DeploymentObservationRecorder.create({ audit }),
    }),
    reviewer: DeploymentRequestReviewer.create({ store, audit, gitOps }),
  };
}
