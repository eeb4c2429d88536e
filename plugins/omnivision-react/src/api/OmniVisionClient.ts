import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ClusterDetail,
  DeploymentPreview,
  DeploymentRequest,
  DeploymentRequestDetail,
  DeploymentRequestSummary,
  FleetCompliance,
  FleetStatus,
  MetricHistory,
  ModelDeployments,
  ModelMatrix,
  ModelMatrixFilter,
  RolloutControlAction,
} from '@internal/plugin-omnivision-common';
import type { OmniVisionApi } from './OmniVisionApi';

/** Fleet documents remembered at most (the cluster and model pages visited, the filters). */
const MAX_KNOWN_DOCUMENTS = 32;

/** A fleet document as last read: its version (`ETag`) and the value parsed from it. */
interface KnownDocument {
  etag: string;
  value: unknown;
}

/**
 * Calls the OmniVision backend as the signed-in person. The fleet's documents (`/fleet`,
 * `/compliance`, `/clusters/:name`, `/models`, `/models/:name/deployments`) are read
 * conditionally: the client remembers each URL's last `ETag` and value, sends `If-None-Match`,
 * and on `304 Not Modified` gives the value it remembers, the same object, so a page whose
 * figures did not change renders nothing new.
 *
 * @public
 */
export class OmniVisionClient implements OmniVisionApi {
  readonly #documents = new Map<string, KnownDocument>();

  constructor(
    private readonly discoveryApi: DiscoveryApi,
    private readonly fetchApi: FetchApi,
  ) {}

  async #call<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('omnivision');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  /** Keeps a document as the most recently read; the least recently read goes past the limit. */
  #remember(url: string, document: KnownDocument) {
    this.#documents.delete(url);
    this.#documents.set(url, document);
    if (this.#documents.size > MAX_KNOWN_DOCUMENTS) {
      this.#documents.delete(this.#documents.keys().next().value!);
    }
  }

  /** A fleet document, read again only if it changed since this client last read it. */
  async #readDocument<T>(path: string): Promise<T> {
    const url = `${await this.discoveryApi.getBaseUrl('omnivision')}${path}`;
    const known = this.#documents.get(url);
    const response = await this.fetchApi.fetch(
      url,
      known && { headers: { 'if-none-match': known.etag } },
    );
    if (known && response.status === 304) {
      this.#remember(url, known);
      return known.value as T;
    }
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const value = (await response.json()) as T;
    // Unreadable across origins unless the backend exposes it (CORS): then every read is whole.
    const etag = response.headers.get('etag');
    if (etag) this.#remember(url, { etag, value });
    else this.#documents.delete(url);
    return value;
  }

  getFleet(): Promise<FleetStatus> {
    return this.#readDocument('/fleet');
  }

  getCluster(name: string): Promise<ClusterDetail> {
    return this.#readDocument(`/clusters/${encodeURIComponent(name)}`);
  }

  getCompliance(): Promise<FleetCompliance> {
    return this.#readDocument('/compliance');
  }

  getHistory(
    options: Parameters<OmniVisionApi['getHistory']>[0],
  ): Promise<MetricHistory> {
    const query = new URLSearchParams({
      cluster: options.cluster,
      metric: options.metric,
    });
    if (options.from) query.set('from', options.from.toISOString());
    if (options.to) query.set('to', options.to.toISOString());
    return this.#call(`/history?${query}`);
  }

  getModelDeployments(model: string): Promise<ModelDeployments> {
    return this.#readDocument(
      `/models/${encodeURIComponent(model)}/deployments`,
    );
  }

  getModelMatrix(filter: ModelMatrixFilter = {}): Promise<ModelMatrix> {
    const query = new URLSearchParams();
    if (filter.team) query.set('team', filter.team);
    if (filter.health) query.set('health', filter.health);
    return this.#readDocument(`/models${query.size > 0 ? `?${query}` : ''}`);
  }

  async controlRollout(
    model: string,
    region: string,
    action: RolloutControlAction,
  ): Promise<void> {
    await this.#call(
      `/models/${encodeURIComponent(model)}/rollouts/${encodeURIComponent(
        region,
      )}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action }),
      },
    );
  }

  previewDeployment(request: DeploymentRequest): Promise<DeploymentPreview> {
    return this.#call('/deployments/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async listRequests(
    filter: 'all' | 'mine' | 'review',
    options: { model?: string } = {},
  ): Promise<DeploymentRequestSummary[]> {
    const query = new URLSearchParams({ filter });
    if (options.model) query.set('model', options.model);
    const { items } = await this.#call<{ items: DeploymentRequestSummary[] }>(
      `/requests?${query}`,
    );
    return items;
  }

  getRequest(pullRequestNumber: number): Promise<DeploymentRequestDetail> {
    return this.#call(`/requests/${pullRequestNumber}`);
  }

  reviewRequest(
    pullRequestNumber: number,
    review: { event: 'APPROVE' | 'REQUEST_CHANGES'; body?: string },
    githubToken: string,
  ): Promise<DeploymentRequestDetail> {
    return this.#call(`/requests/${pullRequestNumber}/reviews`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-token': githubToken,
      },
      body: JSON.stringify(review),
    });
  }

  mergeRequest(
    pullRequestNumber: number,
    githubToken: string,
  ): Promise<DeploymentRequestDetail> {
    return this.#call(`/requests/${pullRequestNumber}/merge`, {
      method: 'POST',
      headers: { 'x-github-token': githubToken },
    });
  }
}
