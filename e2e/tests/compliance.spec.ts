import { test, expect } from '@playwright/test';
import { FLEET_SIGNAL_CHANNEL } from '@internal/plugin-omnivision-common';
import { signInAs } from '../support/signIn';
import { PageSignals } from '../support/signals';
import { admin, clusters, keepScreenshot } from '../support/sandbox';

test('breaking mTLS on one cluster fails its cell in the compliance matrix, with the evidence', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const [, gke] = await clusters();
  const signals = new PageSignals(page);
  await signInAs(page, 'lena-fischer');
  await page.goto('/fleet');
  await page.getByRole('tab', { name: 'Compliance' }).click();
  const matrix = page.getByRole('table', { name: 'compliance matrix' });
  await expect(
    matrix.getByRole('button', { name: `mtls on ${gke.name}: pass` }),
  ).toBeVisible();

  // The matrix follows the fleet's signals (the Playwright portal does not poll): it listens first.
  await expect
    .poll(() => signals.listensTo(FLEET_SIGNAL_CHANNEL), { timeout: 30_000 })
    .toBe(true);
  await admin('POST', `/clusters/${gke.name}/compliance`, { break: 'mtls' });
  try {
    const cell = matrix.getByRole('button', {
      name: `mtls on ${gke.name}: fail`,
    });
    await expect(cell).toBeVisible({ timeout: 30_000 });
    await cell.click();
    await expect(page.getByRole('list', { name: 'evidence' })).toContainText(
      /sets mTLS (PERMISSIVE|DISABLE)/,
    );
    await keepScreenshot(page, 'compliance');
  } finally {
    await admin('DELETE', `/clusters/${gke.name}/compliance`);
  }
});
