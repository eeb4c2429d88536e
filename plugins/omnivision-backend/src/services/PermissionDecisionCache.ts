import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';

/** How long a decision is reused; a policy or group change takes effect after at most this. */
export const DECISION_TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${principal.userEntityRef ?? principal.subject}`;
}

/**
 * Asks the permission framework whether a principal holds a basic permission, and reuses the
 * answer for that principal for a few seconds. Status pages poll: without it every poll would
 * cost a round trip to the permission backend.
 */
export class PermissionDecisionCache {
  readonly #decisions = new Map<
    string,
    { result: AuthorizeResult; expires: number }
  >();

  static create(options: {
    permissions: PermissionsService;
    ttlMs?: number;
  }): PermissionDecisionCache {
    return new PermissionDecisionCache(
      options.permissions,
      options.ttlMs ?? DECISION_TTL_MS,
    );
  }

  readonly #permissions: PermissionsService;
  readonly #ttlMs: number;

  private constructor(permissions: PermissionsService, ttlMs: number) {
    this.#permissions = permissions;
    this.#ttlMs = ttlMs;
  }

  /** Whether the principal of the credentials holds the permission (a reused answer when fresh). */
  async isAllowed(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const key = `${permission.name}|${principalKey(credentials)}`;
    const now = Date.now();
    const cached = this.#decisions.get(key);
    if (cached && cached.expires > now)
      return cached.result === AuthorizeResult.ALLOW;
    const [decision] = await this.#permissions.authorize([{ permission }], {
      credentials,
    });
    if (this.#decisions.size >= MAX_ENTRIES) this.#decisions.clear();
    this.#decisions.set(key, {
      result: decision.result,
      expires: now + this.#ttlMs,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Refuses with a NotAllowedError saying `refusal` when the principal lacks the permission. */
  async assertAllowed(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    refusal: string,
  ): Promise<void> {
    if (!(await this.isAllowed(permission, credentials))) {
      throw new NotAllowedError(refusal);
    }
  }
}
