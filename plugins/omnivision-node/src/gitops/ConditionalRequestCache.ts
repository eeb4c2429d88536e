import type { GitHubClient } from './GitHubClient';

type OctokitResponse = Awaited<ReturnType<GitHubClient['request']>>;

/**
 * GitHub's conditional requests for one identity's reads: each GET is sent with the `ETag` of its
 * last answer in `If-None-Match`, and a `304 Not Modified` (which GitHub does not count against
 * the rate limit) is answered from the remembered response. Keeps the most recent `maxEntries`
 * answers. Install it only on a client of the identity whose answers it remembers.
 *
 * @public
 */
export class ConditionalRequestCache {
  readonly #entries = new Map<
    string,
    { etag: string; response: OctokitResponse }
  >();
  readonly #maxEntries: number;
  #notModified = 0;

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 500;
  }

  /** How many reads GitHub answered with 304 so far. */
  get notModified(): number {
    return this.#notModified;
  }

  /** Makes the client's GET requests conditional on what this cache remembers. */
  install(octokit: GitHubClient): GitHubClient {
    octokit.hook.wrap('request', async (request, options) => {
      if (options.method !== 'GET') return request(options);
      const key = octokit.request.endpoint(options).url;
      const cached = this.#entries.get(key);
      // Set on the options in place: the throttling and retry plugins hold this very object.
      if (cached) options.headers['if-none-match'] = cached.etag;
      try {
        const response = await request(options);
        const etag = response.headers.etag;
        if (etag) this.#remember(key, etag, response);
        return response;
      } catch (error) {
        if (cached && (error as { status?: number }).status === 304) {
          this.#notModified++;
          this.#remember(key, cached.etag, cached.response);
          return cached.response;
        }
        throw error;
      }
    });
    return octokit;
  }

  #remember(key: string, etag: string, response: OctokitResponse) {
    this.#entries.delete(key);
    this.#entries.set(key, { etag, response });
    while (this.#entries.size > this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }
}
