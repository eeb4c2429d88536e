import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  DeploymentRequest,
  DeploymentRequestRecord,
  ModelChangeRequest,
} from '@internal/plugin-omnivision-common';
import type { PullRequestFile } from '../gitops/openOrUpdatePullRequest';

/** A request to record, with the pull request the deploy template opened for it. @public */
export interface DeploymentRequestRecording {
  pullRequest: { number: number; url: string; branch: string };
  request: DeploymentRequest;
}

/** A request the backend admitted: its branch, GPUs at most and the team whose quota it uses. @public */
export interface DeploymentRequestAdmission {
  branch: string;
  gpus: number;
  team: string;
  /**
   * The chosen regions where the model already runs (its values file is on the GitOps
   * repository's base branch): the request updates it there.
   */
  runningIn?: string[];
}

/** A rollback or retirement the backend admitted, with what its pull request holds. @public */
export interface ModelChangeAdmission extends DeploymentRequestAdmission {
  title: string;
  body: string;
  /** The values files it writes (rollback) or removes (retirement). */
  files: PullRequestFile[];
}

/** A rollback or retirement to record, with the pull request its template opened. @public */
export interface ModelChangeRecording {
  pullRequest: { number: number; url: string; branch: string };
  change: ModelChangeRequest;
}

/**
 * The OmniVision backend's deployment requests, for other backend plugins.
 *
 * @public
 */
export interface DeploymentRequestsService {
  /**
   * Admits a request before its pull request is opened, on behalf of the person the credentials
   * are of: the backend checks every rule with the team's GPUs across the fleet (the GitOps
   * repository's `main` and its other open requests) and that no other person has an open
   * request for the same model. Throws the backend's refusal (audited there) with its message.
   */
  admit(
    request: DeploymentRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentRequestAdmission>;

  /**
   * Records a request once its pull request is open, on behalf of the person the credentials are
   * of (the scaffolder task's initiator). The backend checks the branch and the policy again and
   * writes the audit trail; it costs no GitHub call.
   */
  record(
    recording: DeploymentRequestRecording,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentRequestRecord>;

  /**
   * Admits a rollback or retirement before its pull request is opened, on behalf of the person:
   * the backend plans it (a retirement: the model's values file in each region, refused for a
   * region it does not run in; a rollback: each region's last healthy version re-rendered through
   * the policy, refused for a region with none) and returns what the pull request holds. Throws
   * the backend's refusal (audited there) with its message.
   */
  admitChange(
    change: ModelChangeRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<ModelChangeAdmission>;

  /** Records a rollback or retirement once its pull request is open, as {@link DeploymentRequestsService.record}. */
  recordChange(
    recording: ModelChangeRecording,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentRequestRecord>;
}
