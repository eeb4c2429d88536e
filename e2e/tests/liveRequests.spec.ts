import { test, expect, type Page } from '@playwright/test';
import { signInAs } from '../support/signIn';
import { keepScreenshot } from '../support/sandbox';
import { mergeOnGitHub, reviewThroughPortal } from '../support/requests';
import { backstageToken, runTemplate } from '../support/scaffolder';

const values = {
  model: 'resource:default/styleclip-v2',
  gpuProfile: 'a100-40gb-1',
  regions: ['us-west-2'],
  minReplicas: 1,
  maxReplicas: 1,
  rollout: 'canary',
};

/** Marks the page's document: a reload (or any full navigation) loses the mark. */
async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as any).omnivisionNotReloaded = true;
  });
}

async function stillTheSameDocument(page: Page) {
  expect(
    await page.evaluate(() => (window as any).omnivisionNotReloaded === true),
  ).toBe(true);
}

test('the requester sees a notification when the approver merges, and the request page moves to merged without a reload', async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);

  // The app's signals connection (its websocket), as the pages subscribe through it.
  const websockets: string[] = [];
  page.on('websocket', socket => websockets.push(socket.url()));

  // Maya requests a deployment and opens its page.
  await signInAs(page, 'maya-chen');
  const run = await runTemplate(page, await backstageToken(page), values);
  expect(run.status).toBe('completed');
  const number = Number(run.output.pullRequestNumber);
  await page.goto(`/deployments/${number}`);
  const gate = page.getByRole('region', { name: 'Approval gate' });
  await expect(gate).toContainText(
    'Waiting for a code owner other than maya-chen to approve',
  );
  await expect(
    page.getByText('awaiting review', { exact: true }),
  ).toBeVisible();
  await markDocument(page);

  // Lena approves through the portal's API, as herself: Maya's page shows it by itself.
  const approverContext = await browser.newContext();
  const approver = await approverContext.newPage();
  await signInAs(approver, 'lena-fischer');
  const review = await reviewThroughPortal(approver, number, {
    event: 'APPROVE',
    body: 'Placement and quota look right.',
  });
  expect(review.status()).toBe(201);
  await approverContext.close();
  await expect(gate).toContainText('Approved by lena-fischer');
  await expect(page.getByText('lena-fischer: approved')).toBeVisible();
  await expect(page.getByText('approved', { exact: true })).toBeVisible();

  // Lena merges on GitHub itself: its webhook reaches the backend, whose signal moves the page.
  const merge = await mergeOnGitHub('lena-fischer', number);
  expect(merge.status, await merge.clone().text()).toBe(200);
  await expect(page.getByLabel('Merged: done')).toBeVisible();
  // The state chip: merged, or already further when Argo CD was quick.
  await expect(page.getByText(/^(merged|synced|healthy)$/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Merge' })).toHaveCount(0);
  expect(websockets.some(url => url.includes('/api/signals'))).toBe(true);

  // Maya's notifications: the sidebar counts the unread ones, the page lists the merge.
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  const notifications = nav.getByRole('link', { name: /Notifications/ });
  await expect(
    notifications.getByRole('grid', { name: 'Unread notifications' }),
  ).toHaveText(/^\d+$/);
  await keepScreenshot(page, 'request-merged-live');
  await notifications.click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(
    page.getByRole('row', {
      name: new RegExp(
        `styleclip-v2 merged.*Request #${number} was merged by lena-fischer`,
      ),
    }),
  ).toBeVisible();
  await stillTheSameDocument(page);
});
