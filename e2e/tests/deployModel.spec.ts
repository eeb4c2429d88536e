import { test, expect } from '@playwright/test';
import { parse } from 'yaml';
import { signInAs } from '../support/signIn';
import { admin } from '../support/sandbox';
import { backstageToken, runTemplate } from '../support/scaffolder';
import { expectDeploymentCalls } from '../support/gitops';

const values = {
  model: 'resource:default/vidgen-lite',
  gpuProfile: 'a100-40gb-1',
  regions: ['us-west-2', 'europe-west1'],
  minReplicas: 1,
  maxReplicas: 2,
  rollout: 'canary',
};

async function repositoryState(gh: any) {
  const call = async (path: string) =>
    (
      await fetch(`${gh.apiBaseUrl}/repos/${gh.owner}/${gh.repo}${path}`, {
        headers: { authorization: `token ${gh.users[0].token}` },
      })
    ).json();
  const refs = await call('/git/matching-refs/heads/');
  const pulls = await call('/pulls?state=all&per_page=100');
  return {
    refs: refs.map((r: any) => `${r.ref}@${r.object.sha}`).sort(),
    pulls: pulls.length,
  };
}

test('a data scientist deploys a model through the scaffolder API: one pull request in at most 6 calls, updated on a second run', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const gh = (await admin('GET', '/endpoints')).github;
  await signInAs(page, 'maya-chen');
  const token = await backstageToken(page);

  await admin('DELETE', '/stats');
  const first = await runTemplate(page, token, values);
  expect(first.log).toContain('opened pull request');
  expect(first.status).toBe('completed');
  const stats = await admin('GET', '/stats');
  expectDeploymentCalls(stats, gh.app.principals);
  expect(String(first.output.pullRequestUrl)).toMatch(/\/pull\/\d+$/);

  const number = first.output.pullRequestNumber;
  const github = async (path: string) =>
    (
      await fetch(`${gh.apiBaseUrl}/repos/${gh.owner}/${gh.repo}${path}`, {
        headers: { authorization: `token ${gh.users[0].token}` },
      })
    ).json();
  const pull = await github(`/pulls/${number}`);
  const files = await github(`/pulls/${number}/files`);
  expect(files.map((f: any) => f.filename).sort()).toEqual([
    'infrastructure/cluster-aws/models/vidgen-lite.yaml',
    'infrastructure/cluster-gcp/models/vidgen-lite.yaml',
  ]);
  for (const [path, cloud, placement] of [
    ['infrastructure/cluster-aws/models/vidgen-lite.yaml', 'aws', 'gpu-a100'],
    [
      'infrastructure/cluster-gcp/models/vidgen-lite.yaml',
      'gcp',
      'nvidia-tesla-a100',
    ],
  ]) {
    const file = await github(`/contents/${path}?ref=${pull.head.ref}`);
    const rendered = parse(Buffer.from(file.content, 'base64').toString());
    expect(rendered.global.cloudProvider).toBe(cloud);
    expect(rendered.aiWorker.nodeAffinity.values).toEqual([placement]);
    expect(rendered.aiWorker.podLabels['hipaa-compliant']).toBe('true');
  }

  const second = await runTemplate(page, token, values);
  expect(second.status).toBe('completed');
  expect(second.log).toContain(`updated pull request #${number}`);
  expect(second.output.pullRequestNumber).toBe(number);
});

test('the scaffolder API refuses each invalid request with its message, and the repository is unchanged', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const gh = (await admin('GET', '/endpoints')).github;
  await signInAs(page, 'maya-chen');
  const token = await backstageToken(page);
  const before = await repositoryState(gh);
  for (const [change, message, status] of [
    [{ model: 'resource:default/Vidgen_Lite' }, 'is not', 'failed'],
    [{ gpuProfile: 'h100-8' }, 'unknown GPU profile "h100-8"', 'failed'],
    // Outside the template's parameter schema: the scaffolder API refuses it before any task.
    [{ minReplicas: 0 }, 'minReplicas', 'rejected'],
    [
      { gpuProfile: 'a10g-1' },
      'GPU profile a10g-1 is not offered in europe-west1 (gcp)',
      'failed',
    ],
    [
      { maxReplicas: 40, gpuProfile: 'a100-40gb-8' },
      'exceed the GPU quota of group:default/data-science',
      'failed',
    ],
    [
      { model: 'resource:default/../../CODEOWNERS' },
      'is not a reference to a model',
      'failed',
    ],
  ] as const) {
    const run = await runTemplate(page, token, { ...values, ...change });
    expect(run.status).toBe(status);
    expect(run.log).toContain(message);
  }
  expect(await repositoryState(gh)).toEqual(before);
});

test('only data-science may create a deployment request: an approver gets 403 and nothing is written', async ({
  page,
}) => {
  const gh = (await admin('GET', '/endpoints')).github;
  const before = await repositoryState(gh);
  await signInAs(page, 'lena-fischer');
  const token = await backstageToken(page);
  const res = await page.request.post(
    `http://localhost:${
      process.env.E2E_BACKEND_PORT ?? 7007
    }/api/scaffolder/v2/tasks`,
    {
      headers: { authorization: `Bearer ${token}` },
      data: { templateRef: 'template:default/deploy-model', values },
    },
  );
  expect(res.status()).toBe(403);
  expect(await repositoryState(gh)).toEqual(before);
});
