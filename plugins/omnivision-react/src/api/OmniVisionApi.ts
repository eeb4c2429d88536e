import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  DeploymentPreview,
  DeploymentRequest,
  DeploymentRequestDetail,
  DeploymentRequestSummary,
  ClusterDetail,
  FleetCompliance,
  FleetStatus,
  HistoryMetric,
  MetricHistory,
  ModelDeployments,
  ModelMatrix,
  ModelMatrixFilter,
  RolloutControlAction,
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
  /** The model × region matrix, filtered by owner team and health. */
  getModelMatrix(filter?: ModelMatrixFilter): Promise<ModelMatrix>;
  /**
   * Promotes, aborts, pauses or resumes a model's canary in a region (the platform team); a
   * refusal rejects with the server's reason.
   */
  controlRollout(
    model: string,
    region: string,
    action: RolloutControlAction,
  ): Promise<void>;
  /** A deployment request checked against policy, with its files as a diff and its cost. */
  previewDeployment(request: DeploymentRequest): Promise<DeploymentPreview>;
  /** Requests with where each stands: all, the caller's, or those awaiting the caller's review. */
  listRequests(
    filter: 'all' | 'mine' | 'review',
    options?: { model?: string },
  ): Promise<DeploymentRequestSummary[]>;
  getRequest(pullRequestNumber: number): Promise<DeploymentRequestDetail>;
  /** Reviews as the caller on GitHub, with their own GitHub token. */
  reviewRequest(
    pullRequestNumber: number,
    review: { event: 'APPROVE' | 'REQUEST_CHANGES'; body?: string },
    githubToken: string,
  ): Promise<DeploymentRequestDetail>;
  /** Merges as the caller on GitHub, with their own GitHub token. */
  mergeRequest(
    pullRequestNumber: number,
    githubToken: string,
  ): Promise<DeploymentRequestDetail>;
}

/** @public */
export const omnivisionApiRef = createApiRef<OmniVisionApi>({
  id: 'plugin.omnivision.api',
});
