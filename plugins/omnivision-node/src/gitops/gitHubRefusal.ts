import { ConflictError, NotAllowedError } from '@backstage/errors';

/**
 * GitHub's refusal of a person's review or merge as the portal's error: GitHub's own message,
 * with a status people understand (403 for a token or a right they lack, 409 for a pull request
 * that may not be merged or reviewed now). Any other error is returned as it is.
 */
export function gitHubRefusal(error: unknown, what: string): Error {
  const e = error as {
    status?: number;
    message?: string;
    response?: { data?: { message?: string } };
  };
  const message = `GitHub refused the ${what}: ${
    e.response?.data?.message ?? e.message ?? 'unknown error'
  }`;
  if (e.status === 401)
    return new NotAllowedError(`${message} (sign in again)`);
  if (e.status === 403 || e.status === 404) return new NotAllowedError(message);
  if (e.status === 405 || e.status === 409 || e.status === 422)
    return new ConflictError(message);
  return error as Error;
}
