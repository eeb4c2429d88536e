// The fleet page's largest contentful paint, in headless Chromium (Playwright), from the app the
// backend serves (the production build, scripts/build-app.mjs).
//
// A person signs in once as the e2e suite does (e2e/support/signIn.ts: the GitHub sign-in's popup,
// which is the sandbox's OAuth page, where they pick their login) on a first load of /fleet; that
// load is not measured: it warms the backend (its static files, the fleet answer) and Chromium.
// Then each measured load is a fresh page in a new browser context that starts with the signed-in
// session's cookies and local storage (the app signs in again by itself, as on a return visit)
// but an empty HTTP cache, so every load downloads the bundle as a first visit does. After the
// region cards are visible, a PerformanceObserver of 'largest-contentful-paint' (buffered) reads
// the last candidate's time since navigation start.
import { chromium, devices } from '@playwright/test';

/** Chromium as the e2e suite launches it: root needs --no-sandbox, the rest stays offline. */
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
];
const TIMEOUT_MS = 60_000;

/** Waits until every region's card on the fleet page is visible. */
async function fleetCardsVisible(page, regions) {
  for (const region of regions) {
    await page
      .getByRole('region', { name: `region ${region}` })
      .waitFor({ state: 'visible', timeout: TIMEOUT_MS });
  }
}

/**
 * The page's largest contentful paint: its time in ms since navigation start and what the
 * element is (tag and the start of its text); null when the page has none.
 */
function largestContentfulPaint(page) {
  return page.evaluate(
    () =>
      new Promise(resolve => {
        new PerformanceObserver(list => {
          const entries = list.getEntries();
          const { startTime, element } = entries[entries.length - 1];
          resolve({
            ms: startTime,
            element: element
              ? `<${element.tagName.toLowerCase()}> ${(
                  element.textContent ?? ''
                ).slice(0, 40)}`
              : 'an element no longer in the page',
          });
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => resolve(null), 5_000);
      }),
  );
}

/**
 * Signs in as `login` at `appUrl`, then loads `${appUrl}/fleet` `loads` times as described above.
 * Answers each load's largest contentful paint: `ms` and the `element` it was.
 */
export async function measureFleetPageLcp({
  appUrl,
  login,
  regions,
  loads,
  executablePath,
}) {
  const served = await fetch(`${appUrl}/fleet`);
  await served.arrayBuffer();
  if (!served.headers.get('content-type')?.startsWith('text/html')) {
    throw new Error(
      `${appUrl}/fleet answers ${served.status} ${served.headers.get(
        'content-type',
      )}, not the app: does packages/app/dist hold a build (scripts/build-app.mjs)?`,
    );
  }
  const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });
  const contextOptions = { ...devices['Desktop Chrome'] };
  try {
    const signIn = await browser.newContext(contextOptions);
    const page = await signIn.newPage();
    await page.goto(`${appUrl}/fleet`);
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Sign In' }).click();
    const popup = await popupOpened;
    await popup.getByRole('button', { name: login, exact: true }).click();
    await fleetCardsVisible(page, regions);
    const storageState = await signIn.storageState();
    await signIn.close();

    const samples = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.newContext({
        ...contextOptions,
        storageState,
      });
      const fresh = await context.newPage();
      await fresh.goto(`${appUrl}/fleet`);
      await fleetCardsVisible(fresh, regions);
      const lcp = await largestContentfulPaint(fresh);
      await context.close();
      if (lcp === null) {
        throw new Error(`load ${i + 1} of /fleet has no LCP entry`);
      }
      samples.push(lcp);
    }
    return samples;
  } finally {
    await browser.close();
  }
}
