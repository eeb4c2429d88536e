import { expect } from '@playwright/test';
import { APPROVAL_STATUS_CONTEXT } from '@internal/plugin-omnivision-common';
import { admin } from './sandbox';

interface GitHubEndpoints {
  apiBaseUrl: string;
  owner: string;
  repo: string;
  users: Array<{ login: string; role: string; token: string }>;
  /**
   * The portal's GitHub App, whose `omnivision/approval` status main's protection requires: its
   * bot's static token for test tools, and the principals `/stats` counts its calls under.
   */
  app: {
    login: string;
    token: string;
    principals: { app: string; installation: string };
  };
}

async function github(
  gh: GitHubEndpoints,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(
    `${gh.apiBaseUrl}/repos/${gh.owner}/${gh.repo}${path}`,
    {
      method,
      headers: {
        authorization: `token ${token}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
    },
  );
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Puts files on main of the sandbox's GitOps repository the way the platform does it: a branch
 * and pull request by a data scientist, approved and merged by an approver.
 */
export async function mergeThroughPullRequest(
  branch: string,
  files: Record<string, string>,
) {
  const gh: GitHubEndpoints = (await admin('GET', '/endpoints')).github;
  const author = gh.users.find(u => u.role === 'data-scientist')!.token;
  const approver = gh.users.find(u => u.role === 'approver')!.token;
  const main = await github(gh, author, 'GET', '/git/ref/heads/main');
  const parent = await github(
    gh,
    author,
    'GET',
    `/git/commits/${main.object.sha}`,
  );
  const tree = await github(gh, author, 'POST', '/git/trees', {
    base_tree: parent.tree.sha,
    tree: Object.entries(files).map(([path, content]) => ({
      path,
      mode: '100644',
      type: 'blob',
      content,
    })),
  });
  const commit = await github(gh, author, 'POST', '/git/commits', {
    message: `Deploy through ${branch}`,
    tree: tree.sha,
    parents: [main.object.sha],
  });
  await github(gh, author, 'POST', '/git/refs', {
    ref: `refs/heads/${branch}`,
    sha: commit.sha,
  });
  const pr = await github(gh, author, 'POST', '/pulls', {
    title: `Deploy ${branch}`,
    head: branch,
    base: 'main',
  });
  await github(gh, approver, 'POST', `/pulls/${pr.number}/reviews`, {
    event: 'APPROVE',
  });
  // Not a portal request, so the portal's gate does not judge it: post its status as the app.
  await github(gh, gh.app.token, 'POST', `/statuses/${commit.sha}`, {
    state: 'success',
    context: APPROVAL_STATUS_CONTEXT,
    description: 'Approved outside the portal (test setup)',
  });
  await github(gh, approver, 'PUT', `/pulls/${pr.number}/merge`, {});
}

/** What the portal calls to open a deployment's pull request (the Git Data API, then the pull request). */
const PULL_REQUEST_OPENING = [
  'GET /repos/{owner}/{repo}/branches/main',
  'POST /repos/{owner}/{repo}/git/trees',
  'POST /repos/{owner}/{repo}/git/commits',
  'POST /repos/{owner}/{repo}/git/refs',
  'POST /repos/{owner}/{repo}/pulls',
  'POST /repos/{owner}/{repo}/issues/{number}/labels',
];

/** What the portal calls, as its GitHub App, to get an installation access token. */
const INSTALLATION_TOKEN = [
  'GET /app/installations',
  'POST /app/installations/{installation_id}/access_tokens',
];

/**
 * From the sandbox's counters since the last reset, the portal's own calls as its GitHub App: the
 * calls of its installation token that opened pull requests and posted `omnivision/approval`
 * statuses (the gate's verdicts), the calls that fetched that token with the app's JWT
 * (none while the portal's cached token lasts), and every call of any other principal that
 * opened a pull request or posted a status (none: no static token).
 */
function deploymentCalls(
  stats: {
    github: { byTokenAndEndpoint: Record<string, Record<string, number>> };
  },
  principals: { app: string; installation: string },
): { opening: number; statuses: number; tokenCalls: number; others: number } {
  const of = (principal: string, endpoint: string) =>
    stats.github.byTokenAndEndpoint[principal]?.[endpoint] ?? 0;
  const sum = (principal: string, endpoints: string[]) =>
    endpoints.reduce((n, e) => n + of(principal, e), 0);
  const status = 'POST /repos/{owner}/{repo}/statuses/{sha}';
  const others = Object.keys(stats.github.byTokenAndEndpoint)
    .filter(p => p !== principals.installation)
    .reduce((n, p) => n + sum(p, [...PULL_REQUEST_OPENING, status]), 0);
  return {
    opening: sum(principals.installation, PULL_REQUEST_OPENING),
    statuses: of(principals.installation, status),
    tokenCalls: sum(principals.app, INSTALLATION_TOKEN),
    others,
  };
}

/**
 * One deployment's cost, as the sandbox counted it since the last reset: as the portal's GitHub
 * App (its installation token), the pull request in at most 6 calls and the gate's pending
 * verdict on its head in one more; no other credentials open or judge it. The token itself (the
 * installations, then a token) is fetched at most once an hour by each plugin that holds one
 * (the scaffolder's actions, the backend's gate): 4 calls at the most.
 */
export function expectDeploymentCalls(
  stats: Parameters<typeof deploymentCalls>[0],
  principals: Parameters<typeof deploymentCalls>[1],
) {
  const calls = deploymentCalls(stats, principals);
  expect(calls).toEqual({
    opening: expect.any(Number),
    statuses: 1,
    tokenCalls: expect.any(Number),
    others: 0,
  });
  expect(calls.opening).toBeGreaterThan(0);
  expect(calls.opening).toBeLessThanOrEqual(6);
  expect(calls.tokenCalls).toBeLessThanOrEqual(4);
}

/**
 * Helm values of a model on one A10G (AWS) or L4 (GCP) GPU per replica, as the deploy flow
 * renders them (JSON is YAML); `rollout` replaces the chart's canary when given.
 */
export function smallModelValues(options: {
  model: string;
  digest: string;
  cloud: 'aws' | 'gcp';
  replicas: number;
  rollout?: unknown;
}) {
  const { model, digest, cloud, replicas, rollout } = options;
  return JSON.stringify({
    global: { cloudProvider: cloud },
    aiWorker: {
      image: `registry.omnivision.ai/models/${model}@${digest}`,
      replicas,
      resources: { limits: { 'nvidia.com/gpu': 1 } },
      nodeAffinity:
        cloud === 'aws'
          ? {
              key: 'eks.amazonaws.com/nodegroup',
              operator: 'In',
              values: ['gpu-a10g'],
            }
          : {
              key: 'cloud.google.com/gke-accelerator',
              operator: 'In',
              values: ['nvidia-l4'],
            },
      podLabels: { 'hipaa-compliant': 'true' },
    },
    ...(rollout ? { rollout } : {}),
  });
}
