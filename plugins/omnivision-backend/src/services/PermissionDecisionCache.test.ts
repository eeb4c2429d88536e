import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { omnivisionFleetReadPermission } from '@internal/plugin-omnivision-common';
import { PermissionDecisionCache } from './PermissionDecisionCache';

describe('PermissionDecisionCache', () => {
  // The time to live is the point: a fake clock, not a sleep that races it.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('asks once per principal within the time to live, then asks again', async () => {
    const authorize = jest.fn(async (_requests: unknown[], options: any) => [
      {
        result:
          options.credentials.principal.userEntityRef === 'user:default/maya'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      },
    ]);
    const cache = PermissionDecisionCache.create({
      permissions: { authorize } as any,
      ttlMs: 50,
    });
    const maya = mockCredentials.user('user:default/maya');
    const omar = mockCredentials.user('user:default/omar');

    await expect(
      cache.isAllowed(omnivisionFleetReadPermission, maya),
    ).resolves.toBe(true);
    await expect(
      cache.isAllowed(omnivisionFleetReadPermission, maya),
    ).resolves.toBe(true);
    await expect(
      cache.isAllowed(omnivisionFleetReadPermission, omar),
    ).resolves.toBe(false);
    await expect(
      cache.isAllowed(omnivisionFleetReadPermission, omar),
    ).resolves.toBe(false);
    expect(authorize).toHaveBeenCalledTimes(2);

    jest.advanceTimersByTime(49);
    await cache.isAllowed(omnivisionFleetReadPermission, maya);
    expect(authorize).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(1);
    await cache.isAllowed(omnivisionFleetReadPermission, maya);
    expect(authorize).toHaveBeenCalledTimes(3);
  });
});
