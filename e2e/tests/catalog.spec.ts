import { test, expect } from '@playwright/test';
import { signInAs } from '../support/signIn';

test('a signed-in user finds the portal itself in the catalog', async ({
  page,
}) => {
  await signInAs(page, 'maya-chen');

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { name: 'OmniVision AI Catalog' }),
  ).toBeVisible();

  await page.getByRole('menuitem', { name: /^All/ }).click();
  const portalLink = page.getByRole('link', {
    name: 'OmniVision Portal',
    exact: true,
  });
  await expect(portalLink).toBeVisible();

  await portalLink.click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/omnivision-portal/,
  );
  await expect(
    page.getByText('The OmniVision developer self-service portal', {
      exact: false,
    }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'OmniVision', exact: true }).first(),
  ).toBeVisible();
});
