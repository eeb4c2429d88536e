import { test, expect } from '@playwright/test';
import { signInAs } from '../support/signIn';
import { keepScreenshot } from '../support/sandbox';
import {
  backendUrl,
  backstageToken,
  githubToken,
  runTemplate,
} from '../support/scaffolder';

const values = {
  model: 'resource:default/lipsync-v3',
  gpuProfile: 'a100-40gb-1',
  regions: ['us-west-2', 'europe-west1'],
  minReplicas: 1,
  maxReplicas: 1,
  rollout: 'canary',
};

test('a deployment request from pull request to healthy: the approver approves and merges from the portal, never the requester', async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);

  // The data scientist requests a deployment; its pull request opens and the request is recorded.
  await signInAs(page, 'maya-chen');
  const run = await runTemplate(page, await backstageToken(page), values);
  expect(run.status).toBe('completed');
  const number = run.output.pullRequestNumber;
  expect(run.log).toContain(`recorded the request of pull request #${number}`);

  // Their own approval is refused: a clear message in the page, a 403 from the API.
  await page.goto(`/deployments/${number}`);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status')).toHaveText(
    'you cannot review your own deployment request',
  );
  const own = await page.request.post(
    `${backendUrl}/api/omnivision/requests/${number}/reviews`,
    {
      headers: {
        authorization: `Bearer ${await backstageToken(page)}`,
        'x-github-token': await githubToken(page),
      },
      data: { event: 'APPROVE' },
    },
  );
  expect(own.status()).toBe(403);

  // The approver finds it awaiting their review, approves and merges as themselves.
  const approverContext = await browser.newContext();
  const approver = await approverContext.newPage();
  await signInAs(approver, 'lena-fischer');
  await approver.goto('/deployments');
  await approver.getByRole('button', { name: 'Awaiting my review' }).click();
  await approver.getByRole('link', { name: `#${number}`, exact: true }).click();
  await expect(approver.getByText('@platform-team')).toBeVisible();
  await approver.getByLabel('Comment').fill('Quota and placement look right.');
  await approver.getByRole('button', { name: 'Approve' }).click();
  await expect(approver.getByRole('status')).toHaveText('Approved.');
  await expect(approver.getByText('lena-fischer: approved')).toBeVisible();
  await approver.getByRole('button', { name: 'Merge' }).click();
  await expect(approver.getByRole('status')).toHaveText('Merged.');

  // The timeline follows the sandbox's Argo CD sync and the canary to healthy, per region.
  for (const region of ['us-west-2', 'europe-west1']) {
    await expect(
      approver.getByLabel(`Synced by Argo CD in ${region}: done`),
    ).toBeVisible({ timeout: 60_000 });
  }
  for (const region of ['us-west-2', 'europe-west1']) {
    await expect(approver.getByLabel(`Healthy in ${region}: done`)).toBeVisible(
      { timeout: 150_000 },
    );
  }
  await keepScreenshot(approver, 'deployment-request-healthy');

  // The model's Deployments tab links the pull request that changed it.
  await approver.goto('/catalog/default/resource/lipsync-v3/deployments');
  const pulls = approver.getByRole('table', { name: 'pull requests' });
  await expect(
    pulls.getByRole('link', { name: new RegExp(`#${number}`) }),
  ).toHaveAttribute('href', new RegExp(`/pull/${number}$`));
  await expect(pulls).toContainText('healthy');

  // The audit trail holds all of it, the refusal included; the requester may not read it.
  const audit = await approver.request.get(
    `${backendUrl}/api/omnivision/audit?pullRequest=${number}`,
    { headers: { authorization: `Bearer ${await backstageToken(approver)}` } },
  );
  expect(audit.status()).toBe(200);
  const events = (await audit.json()).items.map(
    (e: any) =>
      `${e.actor} ${e.action} ${e.outcome}${e.region ? ` ${e.region}` : ''}`,
  );
  expect(events).toEqual(
    expect.arrayContaining([
      'user:default/maya-chen request.created succeeded',
      'user:default/maya-chen pull-request.opened succeeded',
      'user:default/maya-chen review.approved refused',
      'user:default/lena-fischer review.approved succeeded',
      'user:default/lena-fischer pull-request.merged succeeded',
      'omnivision-portal deployment.synced succeeded us-west-2',
      'omnivision-portal deployment.healthy succeeded europe-west1',
    ]),
  );
  const requesterAudit = await page.request.get(
    `${backendUrl}/api/omnivision/audit`,
    { headers: { authorization: `Bearer ${await backstageToken(page)}` } },
  );
  expect(requesterAudit.status()).toBe(403);
  await approverContext.close();
});
