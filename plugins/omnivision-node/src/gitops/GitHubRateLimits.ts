import type { GitHubClient } from './GitHubClient';

/** One GitHub rate limit of an identity, as GitHub's last answer to it said. @public */
export interface GitHubRateLimit {
  /** GitHub's resource (`x-ratelimit-resource`): `core` for the REST API, `graphql`, `search`… */
  resource: string;
  /** Requests per window (`x-ratelimit-limit`). */
  limit?: number;
  /** Requests left in the window (`x-ratelimit-remaining`). */
  remaining?: number;
  /** When the window resets (`x-ratelimit-reset`). */
  resetAt?: Date;
  /** When GitHub said so. */
  seenAt: Date;
}

type Headers = Record<string, string | number | undefined>;

function numberOf(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * What GitHub says of one identity's rate limits: the `x-ratelimit-*` headers of every answer to
 * it, errors and `304 Not Modified` included, kept per resource. A response without the resource
 * header counts as `core` (the REST API's). Install it only on clients of the one identity.
 *
 * @public
 */
export class GitHubRateLimits {
  readonly #limits = new Map<string, GitHubRateLimit>();

  /** The last known limit of each resource the identity used. */
  current(): GitHubRateLimit[] {
    return [...this.#limits.values()];
  }

  /**
   * Reads the headers of each of the client's answers. Install it before any hook that answers
   * from a cache (ConditionalRequestCache), so that it sees GitHub's own answer.
   */
  install(octokit: GitHubClient): GitHubClient {
    octokit.hook.after('request', response => {
      this.#read(response.headers as Headers);
    });
    octokit.hook.error('request', error => {
      const headers = (error as { response?: { headers?: Headers } }).response
        ?.headers;
      if (headers) this.#read(headers);
      throw error;
    });
    return octokit;
  }

  #read(headers: Headers) {
    const limit = numberOf(headers['x-ratelimit-limit']);
    const remaining = numberOf(headers['x-ratelimit-remaining']);
    if (limit === undefined && remaining === undefined) return;
    const reset = numberOf(headers['x-ratelimit-reset']);
    const resource = String(headers['x-ratelimit-resource'] ?? 'core');
    this.#limits.set(resource, {
      resource,
      limit,
      remaining,
      resetAt: reset === undefined ? undefined : new Date(reset * 1000),
      seenAt: new Date(),
    });
  }
}
