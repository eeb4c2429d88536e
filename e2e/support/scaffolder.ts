import { expect, Page } from '@playwright/test';

const backendUrl = `http://localhost:${process.env.E2E_BACKEND_PORT ?? 7007}`;

/** The backend's URL in this run. */
export { backendUrl };

async function session(page: Page) {
  const res = await page.request.get(
    `${backendUrl}/api/auth/github/refresh?optional&env=development`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  expect(res.ok()).toBe(true);
  return res.json();
}

/** The signed-in person's Backstage token, from the sign-in session of the page. */
export async function backstageToken(page: Page): Promise<string> {
  return (await session(page)).backstageIdentity.token;
}

/** The signed-in person's own GitHub token, from the same session. */
export async function githubToken(page: Page): Promise<string> {
  return (await session(page)).providerInfo.accessToken;
}

/** Waits until the catalog serves an entity (kind/namespace/name): a fresh portal ingests first. */
export async function catalogHas(page: Page, entity: string) {
  const token = await backstageToken(page);
  await expect
    .poll(
      async () =>
        (
          await page.request.get(
            `${backendUrl}/api/catalog/entities/by-name/${entity}`,
            { headers: { authorization: `Bearer ${token}` } },
          )
        ).status(),
      { timeout: 60_000 },
    )
    .toBe(200);
}

/**
 * Runs a template through the scaffolder API and waits for the task to end: `completed` or
 * `failed` with the task's log, or `rejected` with the API's 400 when the values do not fit the
 * template's parameter schema.
 */
export async function runTemplate(
  page: Page,
  token: string,
  values: Record<string, unknown>,
) {
  const headers = { authorization: `Bearer ${token}` };
  const created = await page.request.post(
    `${backendUrl}/api/scaffolder/v2/tasks`,
    {
      headers,
      data: { templateRef: 'template:default/deploy-model', values },
    },
  );
  if (created.status() === 400) {
    // The template's parameter schema refused the values: no task was created.
    return { status: 'rejected', log: await created.text(), output: {} };
  }
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  let task: any;
  await expect
    .poll(
      async () => {
        task = await (
          await page.request.get(
            `${backendUrl}/api/scaffolder/v2/tasks/${id}`,
            { headers },
          )
        ).json();
        return task.status;
      },
      { timeout: 60_000 },
    )
    .toMatch(/^(completed|failed)$/);
  const events: any[] = await (
    await page.request.get(
      `${backendUrl}/api/scaffolder/v2/tasks/${id}/events`,
      { headers },
    )
  ).json();
  return {
    status: task.status as string,
    log: events.map(e => e.body?.message ?? '').join('\n'),
    output: (events.find(e => e.type === 'completion')?.body?.output ??
      {}) as Record<string, unknown>,
  };
}

/** Opens a template from the Create page by its card's title, as a person chooses it. */
export async function chooseTemplate(page: Page, title: string) {
  await page
    .getByText(title, { exact: true })
    // The card: the nearest ancestor of the title that holds a Choose button.
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]')
    .getByRole('button', { name: 'Choose' })
    .click();
}
