import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  DeploymentRequest,
  DeploymentRequestRecord,
} from '@internal/plugin-omnivision-common';

/** A request to record, with the pull request the deploy template opened for it. @public */
export interface DeploymentRequestRecording {
  pullRequest: { number: number; url: string; branch: string };
  request: DeploymentRequest;
}

/**
 * The OmniVision backend's deployment requests, for other backend plugins.
 *
 * @public
 */
export interface DeploymentRequestsService {
  /**
   * Records a request once its pull request is open, on behalf of the person the credentials are
   * of (the scaffolder task's initiator). The backend checks the branch and the policy again and
   * writes the audit trail; it costs no GitHub call.
   */
  record(
    recording: DeploymentRequestRecording,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentRequestRecord>;
}
