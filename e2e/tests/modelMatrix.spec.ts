import { test, expect } from '@playwright/test';
import { signInAs } from '../support/signIn';
import { keepScreenshot } from '../support/sandbox';
import { mergeThroughPullRequest, smallModelValues } from '../support/gitops';

/** catalog/models.yaml's digest of motion-prior 1.0.0 and safety-filter 5.6.0. */
const MOTION_PRIOR_1_0_0 =
  'sha256:df9850b6d2960e73b94e018853b819fc88287839e81e27394ba4fbebfbf10d1b';
const SAFETY_FILTER_5_6_0 =
  'sha256:7ddff4c6484eeeaaf6371ad35abc55ecaaf196c7757dd82ebe844e1a07848aaf';

/** A model on one replica of one A10G (AWS) or L4 (GCP). */
const values = (model: string, digest: string, cloud: 'aws' | 'gcp') =>
  smallModelValues({ model, digest, cloud, replicas: 1 });

test('the model × region matrix shows each model by region, what serves where, and filters by team and health', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  // motion-prior in both regions, safety-filter in us-west-2 only.
  await mergeThroughPullRequest('deploy/motion-prior-and-safety-filter', {
    'infrastructure/cluster-aws/models/motion-prior.yaml': values(
      'motion-prior',
      MOTION_PRIOR_1_0_0,
      'aws',
    ),
    'infrastructure/cluster-gcp/models/motion-prior.yaml': values(
      'motion-prior',
      MOTION_PRIOR_1_0_0,
      'gcp',
    ),
    'infrastructure/cluster-aws/models/safety-filter.yaml': values(
      'safety-filter',
      SAFETY_FILTER_5_6_0,
      'aws',
    ),
  });
  await signInAs(page, 'maya-chen');
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Fleet', exact: true })
    .click();
  await page.getByRole('tab', { name: 'Models' }).click();
  await expect(page).toHaveURL(/\/fleet\/models/);

  const matrix = page.getByRole('table', { name: 'model matrix' });
  const motionPrior = matrix.getByRole('row', { name: 'motion-prior' });
  const safetyFilter = matrix.getByRole('row', { name: 'safety-filter' });
  // Each region's cell: the catalog's version of the running digest, healthy once the canary is
  // through, one GPU held at its profile's price in the region (A10G $1.21/h, L4 $0.88/h).
  for (const [region, price] of [
    ['us-west-2', '$1.21/h'],
    ['europe-west1', '$0.88/h'],
  ]) {
    const cell = motionPrior.getByRole('cell', {
      name: `motion-prior in ${region}`,
    });
    await expect(cell).toContainText('Healthy', { timeout: 150_000 });
    await expect(cell).toContainText('1.0.0');
    await expect(cell).toContainText(`1/1 ready · 1 GPU · ${price}`);
  }
  await expect(
    safetyFilter.getByRole('cell', { name: 'safety-filter in us-west-2' }),
  ).toContainText('Healthy', { timeout: 60_000 });
  await expect(
    safetyFilter.getByRole('cell', { name: 'safety-filter in us-west-2' }),
  ).toContainText('5.6.0');
  await expect(
    safetyFilter.getByRole('cell', { name: 'safety-filter in europe-west1' }),
  ).toHaveText('—');
  // Cut a region off: motion-prior still serves from the other, safety-filter does not.
  await expect(motionPrior).toContainText('2 regions');
  await expect(safetyFilter).toContainText('Only us-west-2');
  await expect(motionPrior).toContainText('2 · $2.09/h');
  await expect(
    motionPrior.getByRole('link', { name: 'motion-prior' }),
  ).toHaveAttribute('href', '/catalog/default/resource/motion-prior');
  await keepScreenshot(page, 'model-matrix');

  // Filtered by health: the deployed models are healthy, not "not deployed".
  await page.getByRole('combobox', { name: 'Health' }).selectOption({
    label: 'Not deployed',
  });
  await expect(motionPrior).toHaveCount(0);
  await expect(safetyFilter).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Health' }).selectOption({
    label: 'Healthy',
  });
  await expect(motionPrior).toBeVisible();
  await expect(safetyFilter).toBeVisible();
  await page.getByRole('combobox', { name: 'Team' }).selectOption({
    label: 'data-science',
  });
  await expect(motionPrior).toBeVisible();

  // From the matrix to the model's Deployments tab: its owner (maya-chen, data-science) updates
  // it through the deploy form, prefilled with the model and its regions; the version picker
  // offers the model's versions, the newest signed by default.
  await page.getByRole('combobox', { name: 'Team' }).selectOption({
    label: 'All teams',
  });
  await motionPrior.getByRole('link', { name: 'motion-prior' }).click();
  await expect(page).toHaveURL(/\/catalog\/default\/resource\/motion-prior/);
  await page.goto('/catalog/default/resource/motion-prior/deployments');
  const actions = page.getByLabel('model actions');
  await expect(
    page.getByRole('row', { name: 'deployment of motion-prior in us-west-2' }),
  ).toContainText('1.0.0');
  await actions.getByRole('link', { name: 'Update' }).click();
  await expect(page).toHaveURL(
    /\/create\/templates\/default\/deploy-model\?formData=/,
  );
  await expect(
    page.getByRole('radio', { name: 'Newest signed (1.0.0)' }),
  ).toBeChecked();
  await expect(page.getByRole('radio', { name: /^1\.0\.0/ })).toBeEnabled();
  for (const region of ['us-west-2', 'europe-west1']) {
    await expect(
      page.getByRole('checkbox', { name: new RegExp(`^${region} `) }),
    ).toBeChecked();
  }

  // The platform team (lena-fischer) controls the canary from the same tab, and owns no model.
  const platformContext = await browser.newContext();
  try {
    const lena = await platformContext.newPage();
    await signInAs(lena, 'lena-fischer');
    await lena.goto('/catalog/default/resource/motion-prior/deployments');
    const canary = lena.getByRole('group', {
      name: 'canary of motion-prior in us-west-2',
    });
    await expect(canary.getByRole('button')).toHaveText([
      'Promote',
      'Abort',
      'Pause',
      'Resume',
    ]);
    await expect(lena.getByLabel('model actions')).toHaveCount(0);
    await canary.getByRole('button', { name: 'Pause' }).click();
    await expect(lena.getByText('Pause sent to us-west-2')).toBeVisible();
    await canary.getByRole('button', { name: 'Resume' }).click();
    await expect(lena.getByText('Resume sent to us-west-2')).toBeVisible();
  } finally {
    await platformContext.close();
  }
});
