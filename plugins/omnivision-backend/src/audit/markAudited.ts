const AUDITED = Symbol.for('@internal/plugin-omnivision-backend/audited');

/**
 * Marks an error as already written into the audit trail (a service that records its refused
 * attempts marks the error it throws), so that `auditRefusals` does not record it again.
 * Returns the error: `throw markAudited(error)`.
 */
export function markAudited<E>(error: E): E {
  if (typeof error === 'object' && error !== null) {
    Object.defineProperty(error, AUDITED, { value: true });
  }
  return error;
}

/** Whether the error was marked as already in the audit trail. */
export function isAudited(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { [AUDITED]?: boolean })[AUDITED] === true
  );
}
