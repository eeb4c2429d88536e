import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DeploymentRequest,
  DeploymentRequestRecord,
  ModelChangeRequest,
} from '@internal/plugin-omnivision-common';
import type {
  DeploymentRequestAdmission,
  DeploymentRequestRecording,
  DeploymentRequestsService,
  ModelChangeAdmission,
  ModelChangeRecording,
} from './DeploymentRequestsService';

/**
 * {@link DeploymentRequestsService} over the OmniVision backend's HTTP API
 * (`POST /api/omnivision/requests/checks` and `POST /api/omnivision/requests`, a deployment's
 * `request` or a rollback's or retirement's `change`), with a plugin
 * token on behalf of the caller's credentials.
 *
 * @public
 */
export class DefaultDeploymentRequestsService
  implements DeploymentRequestsService
{
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;

  static create(options: {
    discovery: DiscoveryService;
    auth: AuthService;
  }): DefaultDeploymentRequestsService {
    return new DefaultDeploymentRequestsService(
      options.discovery,
      options.auth,
    );
  }

  private constructor(discovery: DiscoveryService, auth: AuthService) {
    this.#discovery = discovery;
    this.#auth = auth;
  }

  async admit(
    request: DeploymentRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentRequestAdmission> {
    return this.#post('/requests/checks', { request }, options.credentials);
  }

  async record(
    recording: DeploymentRequestRecording,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentRequestRecord> {
    return this.#postRecord(
      recording.pullRequest,
      { request: recording.request },
      options.credentials,
    );
  }

  async admitChange(
    change: ModelChangeRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<ModelChangeAdmission> {
    return this.#post('/requests/checks', { change }, options.credentials);
  }

  async recordChange(
    recording: ModelChangeRecording,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentRequestRecord> {
    return this.#postRecord(
      recording.pullRequest,
      { change: recording.change },
      options.credentials,
    );
  }

  /** `POST /requests`: the pull request and what it asks for (`request` or `change`). */
  #postRecord(
    pullRequest: DeploymentRequestRecording['pullRequest'],
    asks: { request: DeploymentRequest } | { change: ModelChangeRequest },
    credentials: BackstageCredentials,
  ): Promise<DeploymentRequestRecord> {
    return this.#post(
      '/requests',
      {
        pullRequestNumber: pullRequest.number,
        pullRequestUrl: pullRequest.url,
        branch: pullRequest.branch,
        ...asks,
      },
      credentials,
    );
  }

  async #post<T>(
    path: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<T> {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'omnivision',
    });
    const baseUrl = await this.#discovery.getBaseUrl('omnivision');
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
