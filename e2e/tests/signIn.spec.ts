import { test, expect } from '@playwright/test';
import { signInAs } from '../support/signIn';

test('a person signs in with the sandbox GitHub as who they are', async ({
  page,
}) => {
  await signInAs(page, 'lena-fischer');

  await page.goto('/settings');
  await expect(page.getByText('lena.fischer@omnivision.ai')).toBeVisible();
  // The sign-in resolved to her catalog entity, and through it to her team.
  const identity = page
    .getByText('Backstage Identity')
    .locator('xpath=ancestor::*[contains(@class, "MuiCard-root")][1]');
  await expect(
    identity.getByRole('link', { name: 'Lena Fischer' }).first(),
  ).toHaveAttribute('href', /\/catalog\/default\/user\/lena-fischer$/);
  await expect(
    identity.getByRole('link', { name: 'Platform Team' }),
  ).toBeVisible();
});
