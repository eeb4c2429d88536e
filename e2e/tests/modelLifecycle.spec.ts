import { test, expect, type Browser, type Page } from '@playwright/test';
import { signInAs } from '../support/signIn';
import { admin, clusters, keepScreenshot, kubeGet } from '../support/sandbox';
import {
  backendUrl,
  backstageToken,
  catalogHas,
  chooseTemplate,
} from '../support/scaffolder';

/**
 * A model's whole life, clicked through as the people who live it (issue 15, acceptance 1): a
 * data scientist deploys version 2.0.0 of vidgen-xl, updates it to 2.1.0 whose image the sandbox
 * has made faulty, sees the canary aborted by its GPU health check with the evidence and the
 * drift while 2.0.0 keeps serving, rolls back through the offered pull request, and retires the
 * model. An approver on the platform team approves and merges each pull request in the portal.
 */

const MODEL = 'vidgen-xl';
const REGION = 'us-west-2';
const DEPLOYMENTS_TAB = `/catalog/default/resource/${MODEL}/deployments`;

/** The catalog's versions of the model (catalog/models.yaml), read as the portal serves them. */
async function modelVersions(page: Page) {
  const res = await page.request.get(
    `${backendUrl}/api/catalog/entities/by-name/resource/default/${MODEL}`,
    { headers: { authorization: `Bearer ${await backstageToken(page)}` } },
  );
  expect(res.status()).toBe(200);
  const versions: Array<{ version: string; imageDigest: string }> = (
    await res.json()
  ).spec.model.versions;
  const digest = (version: string) =>
    versions.find(v => v.version === version)!.imageDigest;
  return { v1: digest('2.0.0'), v2: digest('2.1.0') };
}

/** The model's running pods' images in the region, from the cluster's own API server. */
async function podImages() {
  const cluster = (await clusters()).find(c => c.region === REGION)!;
  const pods = await kubeGet(
    cluster,
    `/api/v1/pods?labelSelector=${encodeURIComponent(
      `omnivision.ai/model=${MODEL}`,
    )}`,
  );
  const items: any[] = pods.items;
  return items
    .filter((p: any) => p.status?.phase === 'Running')
    .map((p: any) => p.spec.containers[0].image as string)
    .sort();
}

/**
 * Waits until a form opened prefilled (rollback, retirement) is ready: the region picker has read
 * the fleet and holds the region. A Review clicked before that meets a form still filling itself.
 */
async function expectPrefilledForm(page: Page) {
  await expect(
    page.getByRole('checkbox', { name: new RegExp(`^${REGION} .*reachable$`) }),
  ).toBeChecked({ timeout: 30_000 });
}

/** Submits the template the page shows (its form already filled) and returns the request's number. */
async function createRequest(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const link = page.getByRole('link', { name: 'Pull request' });
  await expect(link).toBeVisible({ timeout: 90_000 });
  return Number((await link.getAttribute('href'))!.split('/').pop());
}

/** The platform team's approver approves and merges the request from its page in the portal. */
async function approveAndMerge(browser: Browser, number: number) {
  const context = await browser.newContext();
  const approver = await context.newPage();
  await signInAs(approver, 'lena-fischer');
  await approver.goto(`/deployments/${number}`);
  await approver.getByRole('button', { name: 'Approve' }).click();
  await expect(approver.getByRole('status')).toHaveText('Approved.');
  await approver.getByRole('button', { name: 'Merge' }).click();
  await expect(approver.getByRole('status')).toHaveText('Merged.');
  await context.close();
}

test("a model's life: deploy, a faulty update aborted by its analysis, the rollback it offers, retirement", async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  await signInAs(page, 'maya-chen');
  await catalogHas(page, `resource/default/${MODEL}`);
  const { v1, v2 } = await modelVersions(page);
  const row = page.getByRole('row', {
    name: `deployment of ${MODEL} in ${REGION}`,
  });
  const details = page.getByRole('row', {
    name: `details of ${MODEL} in ${REGION}`,
  });

  // 1. Maya deploys version 2.0.0 from the form, in one region.
  await page.goto('/create');
  await chooseTemplate(page, 'Deploy a model');
  await page.getByLabel('Model').fill('Video generation XL');
  await page.getByRole('option', { name: /Video generation XL/ }).click();
  await page.getByRole('radio', { name: /^2\.0\.0/ }).check();
  await expect(page.getByText('reachable')).toHaveCount(2, { timeout: 30_000 });
  await page.getByRole('checkbox', { name: new RegExp(REGION) }).check();
  await page.getByRole('radio', { name: /^1 × A100 40 GB/ }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(/Every rule passed/)).toBeVisible();
  const first = await createRequest(page);
  await approveAndMerge(browser, first);

  // It becomes Healthy, and Git and the cluster agree.
  await page.goto(DEPLOYMENTS_TAB);
  await expect(row).toContainText('Healthy', { timeout: 180_000 });
  await expect(row.getByLabel('stable')).toContainText('2.0.0');
  await expect(row.getByLabel('git wants')).toContainText('2.0.0');
  const served = await podImages();
  expect(served.length).toBeGreaterThan(0);
  expect(served.every(image => image.endsWith(v1))).toBe(true);

  // 2. The image of version 2.1.0 turns out faulty; Maya updates to it from the tab.
  await admin('POST', '/images/faults', {
    digest: v2,
    cudaErrorsPerMinute: 50,
  });
  try {
    await page.getByRole('link', { name: 'Update' }).click();
    // The form comes with the model and the regions it runs in; Maya picks 2.1.0 and the profile.
    await expect(
      page.getByRole('checkbox', { name: new RegExp(REGION) }),
    ).toBeChecked();
    await page.getByRole('radio', { name: /^2\.1\.0/ }).check();
    await page.getByRole('radio', { name: /^1 × A100 40 GB/ }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    // The review shows the change from what runs: the image's digest, not a new file.
    await expect(page.getByText(/Every rule passed/)).toBeVisible();
    await expect(page.getByText('new file')).toHaveCount(0);
    await expect(page.getByText(new RegExp(`^\\+.*${v2}`))).toBeVisible();
    const update = await createRequest(page);
    await approveAndMerge(browser, update);

    // The canary's analysis aborts it: the tab says why, with the evidence, and the drift.
    await page.goto(DEPLOYMENTS_TAB);
    await expect(row).toContainText('Degraded', { timeout: 180_000 });
    await expect(details.getByRole('alert')).toContainText(
      /^Canary aborted: .*gpu-health-check failed at step \d/,
    );
    await expect(details.getByLabel('last analysis')).toContainText(
      'DCGM_FI_DEV_XID_ERRORS',
    );
    await expect(details.getByLabel('last analysis')).toContainText('Failed');
    await expect(details.getByText(/^Drift: /)).toBeVisible();
    await expect(row.getByLabel('git wants')).toContainText('2.1.0');
    await expect(row.getByLabel('stable')).toContainText('2.0.0');
    await keepScreenshot(page, 'model-canary-aborted');
    // Version 2.0.0 keeps serving: every running pod of the model is its image.
    await expect
      .poll(
        async () => {
          const images = await podImages();
          return images.length > 0 && images.every(i => i.endsWith(v1));
        },
        { timeout: 30_000 },
      )
      .toBe(true);
  } finally {
    await admin('DELETE', '/images/faults', { digest: v2 });
  }

  // 3. Maya rolls back through the offered pull request; after its merge nothing drifts.
  await details.getByRole('link', { name: `Roll back ${REGION}` }).click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/rollback-model/);
  await expectPrefilledForm(page);
  const rollback = await createRequest(page);
  await approveAndMerge(browser, rollback);
  await page.goto(DEPLOYMENTS_TAB);
  await expect(row).toContainText('Healthy', { timeout: 180_000 });
  await expect(row.getByLabel('git wants')).toContainText('2.0.0');
  await expect(row.getByLabel('stable')).toContainText('2.0.0');
  // Git and the cluster agree again: no drift, no abort (the last analysis stays on record).
  await expect(page.getByText(/^Drift:/)).toHaveCount(0);
  await expect(page.getByText(/^Canary aborted:/)).toHaveCount(0);

  // 4. Maya retires the model: after the merge its pods are gone, the warm pool is on target.
  await page.getByRole('link', { name: 'Retire' }).click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/retire-model/);
  await expectPrefilledForm(page);
  const retire = await createRequest(page);
  await approveAndMerge(browser, retire);
  await page.goto(`/deployments/${retire}`);
  await expect(page.getByLabel(`Retired in ${REGION}: done`)).toBeVisible({
    timeout: 120_000,
  });
  await expect.poll(podImages, { timeout: 30_000 }).toEqual([]);
  const cluster = (await clusters()).find(c => c.region === REGION)!;
  const token = await backstageToken(page);
  await expect
    .poll(
      async () => {
        const res = await page.request.get(
          `${backendUrl}/api/omnivision/clusters/${cluster.name}/warm-pool`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        const { warmPool } = await res.json();
        return (
          warmPool.meetsHeadroomTarget && warmPool.placeholdersPending === 0
        );
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  await page.goto(DEPLOYMENTS_TAB);
  await expect(row).toHaveCount(0);
});
