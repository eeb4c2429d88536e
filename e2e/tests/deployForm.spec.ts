import { test, expect } from '@playwright/test';
import { parse } from 'yaml';
import { signInAs } from '../support/signIn';
import { admin, keepScreenshot } from '../support/sandbox';
import { catalogHas, chooseTemplate } from '../support/scaffolder';
import { expectDeploymentCalls } from '../support/gitops';

test('a data scientist deploys a model from the form: diff and cost in review, one pull request in at most 6 calls', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAs(page, 'maya-chen');
  await catalogHas(page, 'resource/default/upscaler-4k');
  await page.goto('/create');
  await chooseTemplate(page, 'Deploy a model');

  // The picker lists ai-models by title; the form sends the entity ref.
  await page.getByLabel('Model').fill('4K upscaler');
  await page.getByRole('option', { name: /4K upscaler/ }).click();
  // The region picker shows each region's reachability, live.
  await expect(page.getByText('reachable')).toHaveCount(2, { timeout: 30_000 });
  await page.getByRole('checkbox', { name: /us-west-2/ }).check();
  await page.getByRole('checkbox', { name: /europe-west1/ }).check();
  // Only profiles offered in both clouds, with free GPUs per region.
  await expect(page.getByRole('radio', { name: /A10G/ })).toHaveCount(0);
  const a100 = page.getByRole('radio', { name: /^1 × A100 40 GB/ });
  await expect(
    page.getByText(/us-west-2: \d+ free, headroom \d+%/).first(),
  ).toBeVisible();
  await a100.check();
  await keepScreenshot(page, 'deploy-form');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // The review: checked on the server, each region's file as a diff against main, the cost.
  await expect(
    page.getByText(/Every rule passed: \d+ GPUs at the most/),
  ).toBeVisible();
  await expect(page.getByText('Changes against main')).toBeVisible();
  for (const cloud of ['aws', 'gcp']) {
    await expect(
      page.getByText(
        `infrastructure/cluster-${cloud}/models/upscaler-4k.yaml`,
        {
          exact: true,
        },
      ),
    ).toBeVisible();
    await expect(
      page.getByText(new RegExp(`^\\+\\s+cloudProvider: ${cloud}$`)),
    ).toBeVisible();
  }
  await expect(page.getByText('new file')).toHaveCount(2);
  await expect(page.getByText(/^\$[\d,.]+ – \$[\d,.]+ an hour$/)).toBeVisible();
  await expect(page.getByText(/^\$[\d,.]+ – \$[\d,.]+ a month$/)).toBeVisible();
  await keepScreenshot(page, 'deploy-review');

  await admin('DELETE', '/stats');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const link = page.getByRole('link', { name: 'Pull request' });
  await expect(link).toBeVisible({ timeout: 90_000 });
  const href = await link.getAttribute('href');
  expect(href).toMatch(/\/omnivision-ai\/omnivision-gitops\/pull\/\d+$/);
  await keepScreenshot(page, 'deploy-task');

  const gh = (await admin('GET', '/endpoints')).github;
  const number = href!.split('/').pop();
  const pull = await (
    await fetch(
      `${gh.apiBaseUrl}/repos/${gh.owner}/${gh.repo}/pulls/${number}`,
      {
        headers: { authorization: `token ${gh.users[0].token}` },
      },
    )
  ).json();
  expect(pull.state).toBe('open');
  expect(pull.head.ref).toMatch(/^omnivision\/deploy-upscaler-4k-[0-9a-f]{8}$/);
  expect(pull.body).toContain('Requested by user:default/maya-chen');
  const stats = await admin('GET', '/stats');
  expectDeploymentCalls(stats, gh.app.principals);

  // Exactly one open pull request for the model, whose files hold each cloud's values.
  const github = async (path: string) =>
    (
      await fetch(`${gh.apiBaseUrl}/repos/${gh.owner}/${gh.repo}${path}`, {
        headers: { authorization: `token ${gh.users[0].token}` },
      })
    ).json();
  const open = (await github('/pulls?state=open&per_page=100')).filter(
    (p: any) => p.head.ref.startsWith('omnivision/deploy-upscaler-4k-'),
  );
  expect(open.map((p: any) => p.number)).toEqual([Number(number)]);
  for (const [cloud, key, placement] of [
    ['aws', 'eks.amazonaws.com/nodegroup', 'gpu-a100'],
    ['gcp', 'cloud.google.com/gke-accelerator', 'nvidia-tesla-a100'],
  ]) {
    const file = await github(
      `/contents/infrastructure/cluster-${cloud}/models/upscaler-4k.yaml?ref=${pull.head.ref}`,
    );
    const values = parse(Buffer.from(file.content, 'base64').toString());
    expect(values.global.cloudProvider).toBe(cloud);
    expect(values.aiWorker.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(values.aiWorker.nodeAffinity).toMatchObject({
      key,
      values: [placement],
    });
    expect(values.aiWorker.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(values.aiWorker.podLabels['hipaa-compliant']).toBe('true');
  }
});
