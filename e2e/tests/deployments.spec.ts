import { test, expect } from '@playwright/test';
import { signInAs } from '../support/signIn';
import { keepScreenshot } from '../support/sandbox';
import { mergeThroughPullRequest, smallModelValues } from '../support/gitops';

/** frame-interp on 2 replicas, with seed 001's canary but a longer last pause (90 minutes, 90 s
 * on the sandbox's clock): the tab is seen mid-canary however long the page takes to load on a
 * busy machine. */
function values(cloud: 'aws' | 'gcp') {
  return smallModelValues({
    model: 'frame-interp',
    digest: `sha256:${'c'.repeat(64)}`,
    cloud,
    replicas: 2,
    rollout: {
      canary: {
        steps: [
          { setWeight: 5 },
          { pause: { duration: '10m' } },
          { setWeight: 50 },
          { pause: { duration: '90m' } },
        ],
      },
    },
  });
}

test("a model's Deployments tab follows its canary to healthy in both regions", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await mergeThroughPullRequest('deploy/frame-interp', {
    'infrastructure/cluster-aws/models/frame-interp.yaml': values('aws'),
    'infrastructure/cluster-gcp/models/frame-interp.yaml': values('gcp'),
  });
  await signInAs(page, 'maya-chen');
  await page.goto('/catalog/default/resource/frame-interp/deployments');
  const west = page.getByRole('row', {
    name: 'deployment of frame-interp in us-west-2',
  });
  const europe = page.getByRole('row', {
    name: 'deployment of frame-interp in europe-west1',
  });
  // The canary passes its steps (5% → 10 min → 50% → 30 min on the sandbox's clock)...
  await expect(west).toContainText(/Progressing.*step [0-3] of 4/, {
    timeout: 60_000,
  });
  await keepScreenshot(page, 'model-deployments-canary');
  // ...and ends healthy, fully promoted, in both regions.
  for (const row of [west, europe]) {
    await expect(row).toContainText('Healthy', { timeout: 200_000 });
    await expect(row).toContainText('step 4 of 4 · 100%');
    await expect(row).toContainText('2 / 2');
    await expect(row).toContainText('Synced · Healthy');
  }
  await keepScreenshot(page, 'model-deployments');
});
