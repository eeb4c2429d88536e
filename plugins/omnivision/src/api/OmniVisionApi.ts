import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  DeploymentPreview,
  DeploymentRequest,
  ClusterDetail,
  FleetCompliance,
  FleetStatus,
  HistoryMetric,
  MetricHistory,
  ModelDeployments,
} from '@internal/plugin-omnivision-common';

/**
 * The OmniVision backend's fleet status API (`/api/omnivision`).
 *
 * @public
 */
export interface OmniVisionApi {
  getFleet(): Promise<FleetStatus>;
  getCluster(name: string): Promise<ClusterDetail>;
  getCompliance(): Promise<FleetCompliance>;
  getHistory(options: {
    cluster: string;
    metric: HistoryMetric;
    from?: Date;
    to?: Date;
  }): Promise<MetricHistory>;
  getModelDeployments(model: string): Promise<ModelDeployments>;
  /** A deployment request checked against policy, with its files as a diff and its cost. */
  previewDeployment(request: DeploymentRequest): Promise<DeploymentPreview>;
}

/** @public */
export const omnivisionApiRef = createApiRef<OmniVisionApi>({
  id: 'plugin.omnivision.api',
});
