/**
 * The reason the OmniVision backend gave for refusing a call (the `error.message` of Backstage's
 * error body, which a `ResponseError` carries), or the error's own message.
 *
 * @public
 */
export function errorReason(error: unknown): string {
  const body = (error as { body?: { error?: { message?: string } } }).body;
  return body?.error?.message ?? (error as Error).message;
}
