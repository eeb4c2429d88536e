import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

const ThrottledOctokit = Octokit.plugin(throttling, retry);

/** Octokit with GitHub's throttling and retry plugins, as every OmniVision GitHub call uses it. @public */
export type GitHubClient = InstanceType<typeof ThrottledOctokit>;

/**
 * An Octokit for one token: waits out GitHub's primary and secondary rate limits (twice at most)
 * and retries server errors, never a 4xx whose answer would not change.
 *
 * @public
 */
export function createGitHubClient(options: {
  apiBaseUrl: string;
  token: string;
}): GitHubClient {
  return new ThrottledOctokit({
    baseUrl: options.apiBaseUrl,
    auth: options.token,
    userAgent: 'omnivision-portal',
    throttle: {
      onRateLimit: (
        _after: number,
        _options: unknown,
        _o: unknown,
        retryCount: number,
      ) => retryCount < 2,
      onSecondaryRateLimit: (
        _after: number,
        _options: unknown,
        _o: unknown,
        retryCount: number,
      ) => retryCount < 2,
    },
    retry: { doNotRetry: [400, 401, 403, 404, 405, 409, 422] },
  });
}
