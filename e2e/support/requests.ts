import type { APIResponse, Page } from '@playwright/test';
import { admin } from './sandbox';
import { backendUrl, backstageToken, githubToken } from './scaffolder';

/**
 * Reviews a deployment request through the portal's API as the page's signed-in person, with
 * their Backstage token and their own GitHub token, as the request page's buttons do.
 */
export async function reviewThroughPortal(
  page: Page,
  pullRequestNumber: number,
  review: { event: 'APPROVE' | 'REQUEST_CHANGES'; body?: string },
): Promise<APIResponse> {
  return page.request.post(
    `${backendUrl}/api/omnivision/requests/${pullRequestNumber}/reviews`,
    {
      headers: {
        authorization: `Bearer ${await backstageToken(page)}`,
        'x-github-token': await githubToken(page),
      },
      data: review,
    },
  );
}

/**
 * Merges a request's pull request on the sandbox's GitHub itself, as a person with their own
 * token (not through the portal): only GitHub's webhook tells the portal.
 */
export async function mergeOnGitHub(
  login: string,
  pullRequestNumber: number,
): Promise<Response> {
  const gh = (await admin('GET', '/endpoints')).github;
  const person = gh.users.find((u: { login: string }) => u.login === login);
  return fetch(
    `${gh.apiBaseUrl}/repos/${gh.owner}/${gh.repo}/pulls/${pullRequestNumber}/merge`,
    {
      method: 'PUT',
      headers: {
        authorization: `token ${person.token}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
      },
      body: '{}',
    },
  );
}
