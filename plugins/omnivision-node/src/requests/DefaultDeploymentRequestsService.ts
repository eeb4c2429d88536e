import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { DeploymentRequestRecord } from '@internal/plugin-omnivision-common';
import type {
  DeploymentRequestRecording,
  DeploymentRequestsService,
} from './DeploymentRequestsService';

/**
 * {@link DeploymentRequestsService} over the OmniVision backend's HTTP API
 * (`POST /api/omnivision/requests`), with a plugin token on behalf of the caller's credentials.
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

  async record(
    recording: DeploymentRequestRecording,
    options: { credentials: BackstageCredentials },
  ): Promise<DeploymentRequestRecord> {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'omnivision',
    });
    const baseUrl = await this.#discovery.getBaseUrl('omnivision');
    const response = await fetch(`${baseUrl}/requests`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        pullRequestNumber: recording.pullRequest.number,
        pullRequestUrl: recording.pullRequest.url,
        branch: recording.pullRequest.branch,
        request: recording.request,
      }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as DeploymentRequestRecord;
  }
}
