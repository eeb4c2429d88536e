import { Page, expect } from '@playwright/test';

/**
 * Signs in through the portal's GitHub sign-in, which in development is the sandbox's OAuth
 * web flow: a popup where the person picks which sandbox user they are.
 */
export async function signInAs(page: Page, login: string) {
  await page.goto('/');
  const popupOpened = page.waitForEvent('popup');
  await page.getByRole('button', { name: 'Sign In' }).click();
  const popup = await popupOpened;
  await popup.getByRole('button', { name: login, exact: true }).click();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}
