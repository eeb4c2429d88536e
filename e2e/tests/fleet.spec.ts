import { test, expect, Locator, Page } from '@playwright/test';
import {
  FLEET_SIGNAL_CHANNEL,
  type FleetChangedSignal,
} from '@internal/plugin-omnivision-common';
import { backendUrl, backstageToken } from '../support/scaffolder';
import { signInAs } from '../support/signIn';
import { PageSignals } from '../support/signals';
import {
  admin,
  clusters,
  groundTruth,
  keepScreenshot,
  SandboxCluster,
} from '../support/sandbox';

/** Whole GPUs the card shows, summed from its per-product lines. */
async function cardGpus(card: Locator): Promise<number> {
  const labels = await card
    .locator('[aria-label*=" requested, "]')
    .evaluateAll(items => items.map(i => i.getAttribute('aria-label') ?? ''));
  return labels
    .filter(l => !l.includes(' MIG '))
    .reduce((sum, l) => sum + Number(/ of (\d+) requested/.exec(l)![1]), 0);
}

/** The card agrees with the sandbox's own count (both read again until they do, or 30 s). */
async function expectCardMatchesSandbox(
  card: Locator,
  cluster: SandboxCluster,
) {
  await expect
    .poll(
      async () => {
        const truth = await groundTruth(cluster);
        const text = await card.getByLabel('nodes ready').textContent();
        const shown = {
          nodes: text?.split(' nodes ready')[0],
          gpus: await cardGpus(card),
        };
        const sandbox = {
          nodes: `${truth.nodesReady} / ${truth.nodesTotal}`,
          gpus: truth.gpusAllocatable,
        };
        return JSON.stringify(shown) === JSON.stringify(sandbox)
          ? 'as in the sandbox'
          : JSON.stringify({ shown, sandbox });
      },
      { timeout: 30_000 },
    )
    .toBe('as in the sandbox');
}

/**
 * Hides or shows the tab as the browser does when a person switches tabs: `visibilityState`
 * and a `visibilitychange` event (headless Chromium's tab is always visible).
 */
async function setTabHidden(page: Page, hidden: boolean) {
  await page.evaluate(isHidden => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (isHidden ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', {
      configurable: true,
      get: () => isHidden,
    });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

// The portal runs with the fleet pages' fallback poll off (playwright.config.ts): the outage
// shows through the backend's `omnivision:fleet` signal alone, once the page listens for it.
test('the fleet page shows each region as the sandbox has it, and a region that goes down', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const fleet = await clusters();
  const signals = new PageSignals(page);
  await signInAs(page, 'maya-chen');
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Fleet', exact: true })
    .click();
  await expect(page).toHaveURL(/\/fleet/);

  for (const cluster of fleet) {
    const card = page.getByRole('region', { name: `region ${cluster.region}` });
    await expect(card.getByText('Reachable')).toBeVisible();
    await expectCardMatchesSandbox(card, cluster);
  }
  await keepScreenshot(page, 'fleet-overview');

  const [down, up] = fleet;
  await expect
    .poll(() => signals.listensTo(FLEET_SIGNAL_CHANNEL), { timeout: 30_000 })
    .toBe(true);
  await admin('POST', `/clusters/${down.name}/faults`, { mode: 'down' });
  try {
    await expect(page.getByRole('alert')).toContainText(
      `Region down: ${down.region}`,
      { timeout: 30_000 },
    );
    await expect(page.getByRole('alert')).toContainText(`${up.region} (`);
    const downCard = page.getByRole('region', {
      name: `region ${down.region}`,
    });
    await expect(downCard.getByText(/^Down · data/)).toBeVisible();
    const upCard = page.getByRole('region', { name: `region ${up.region}` });
    await expect(upCard.getByText('Reachable')).toBeVisible();
    await expectCardMatchesSandbox(upCard, up);
    await keepScreenshot(page, 'fleet-region-down');
  } finally {
    await admin('DELETE', `/clusters/${down.name}/faults`);
  }
  await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 30_000 });
});

test('the cluster and warm-pool pages show the GPU nodes, placeholders and scale-up', async ({
  page,
}) => {
  await signInAs(page, 'lena-fischer');
  await page.goto('/fleet');
  await page
    .getByRole('region', { name: 'region us-west-2' })
    .getByRole('link', { name: 'eks-us-west-2' })
    .click();
  await expect(page).toHaveURL(/\/fleet\/clusters\/eks-us-west-2$/);
  const nodes = page.getByRole('table', { name: 'GPU nodes' });
  await expect(nodes.getByRole('row').nth(1)).toBeVisible();
  expect(await nodes.getByRole('row').count()).toBeGreaterThan(24);
  await expect(page.getByRole('region', { name: 'Warm pool' })).toContainText(
    'Scale-up to 100 nodes',
  );
  await keepScreenshot(page, 'cluster');

  await page.goto('/fleet');
  await page.getByRole('tab', { name: 'Warm pool' }).click();
  const pool = page.getByRole('region', { name: 'warm pool of eks-us-west-2' });
  await expect(pool).toContainText('(target 20%)');
  await expect(
    pool.getByRole('table', { name: 'scale schedules' }),
  ).toContainText('0 8 * * *');
  await keepScreenshot(page, 'warm-pool');
});

test('a hidden tab reads nothing of the fleet, and reads its change once it shows again', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const [down] = await clusters();
  // What the page hears (the signals' WebSocket) and what it reads (GET /api/omnivision/fleet).
  const signals = new PageSignals(page);
  let fleetReads = 0;
  page.on('request', request => {
    if (new URL(request.url()).pathname === '/api/omnivision/fleet') {
      fleetReads++;
    }
  });
  await signInAs(page, 'maya-chen');
  await page.goto('/fleet');
  const card = page.getByRole('region', { name: `region ${down.region}` });
  await expect(card.getByText('Reachable')).toBeVisible();

  await expect
    .poll(() => signals.listensTo(FLEET_SIGNAL_CHANNEL), { timeout: 30_000 })
    .toBe(true);

  await setTabHidden(page, true);
  const readsBefore = fleetReads;
  const signalsBefore = signals.received(FLEET_SIGNAL_CHANNEL).length;
  const token = await backstageToken(page);
  await admin('POST', `/clusters/${down.name}/faults`, { mode: 'down' });
  try {
    // The backend marks the region down (read here, outside the page)…
    await expect
      .poll(
        async () => {
          const res = await page.request.get(
            `${backendUrl}/api/omnivision/fleet`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          const fleet = await res.json();
          return fleet.clusters.find((c: any) => c.name === down.name).health
            .reachable;
        },
        { timeout: 30_000 },
      )
      .toBe(false);
    // …and signals it: the hidden tab hears it…
    await expect
      .poll(
        () =>
          signals
            .received<FleetChangedSignal>(FLEET_SIGNAL_CHANNEL)
            .slice(signalsBefore)
            .some(signal => signal.clusters.includes(down.name)),
        { timeout: 10_000 },
      )
      .toBe(true);
    // …and reads nothing (a read would start within milliseconds of the signal).
    await page.waitForTimeout(2_000);
    expect(fleetReads).toBe(readsBefore);
    await expect(card.getByText('Reachable')).toBeVisible();

    // Shown again, the tab reads the fleet at once, without waiting for another signal.
    await setTabHidden(page, false);
    await expect(page.getByRole('alert')).toContainText(
      `Region down: ${down.region}`,
      { timeout: 3_000 },
    );
  } finally {
    await admin('DELETE', `/clusters/${down.name}/faults`);
  }
  await expect(page.getByRole('alert')).toHaveCount(0, { timeout: 30_000 });
});
