import { inspect } from 'node:util';

/** How {@link eventually} waits: its time limit and the pause between tries. */
export interface EventuallyOptions {
  /** How long to keep trying, in milliseconds (10 s unless told). */
  timeoutMs?: number;
  /** The pause between two tries, in milliseconds (50 unless told). */
  intervalMs?: number;
}

/** Whether an error is a failed assertion (Jest's `expect` or Node's `assert`), not a condition. */
function isAssertionError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ('matcherResult' in error ||
      // Node's AssertionError; its name, not its code: reading `code` of an Octokit
      // RequestError prints a deprecation.
      (error as { name?: unknown }).name === 'AssertionError')
  );
}

function describeOutcome(outcome: { value: unknown } | { error: unknown }) {
  return 'error' in outcome
    ? `threw ${
        outcome.error instanceof Error
          ? outcome.error.message
          : inspect(outcome.error)
      }`
    : `returned ${inspect(outcome.value, { depth: 3, breakLength: Infinity })}`;
}

/**
 * Waits for a condition that becomes true over time: calls `check` afresh at each try, until
 * it returns a truthy value (which it resolves to) or the time runs out. When it gives up, it
 * fails with what the last try returned or threw.
 *
 * A check that throws an ordinary error is tried again (the system may not answer yet); a
 * failed assertion (`expect`) inside the check fails at once: an assertion must hold on every
 * try, so a timing assertion cannot pass by being met once among many tries. Measure a timing
 * once, outside `eventually`, and assert it there.
 *
 * @param check - reads the current state; truthy when the condition holds
 * @param options - the time limit (a number is the time limit in milliseconds) and the pause
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: number | EventuallyOptions = {},
): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, intervalMs = 50 } =
    typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (let tries = 1; ; tries++) {
    let outcome: { value: unknown } | { error: unknown };
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      outcome = { value };
    } catch (error) {
      if (isAssertionError(error)) throw error;
      outcome = { error };
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms (${tries} ${
          tries === 1 ? 'try' : 'tries'
        }); the last try ${describeOutcome(outcome)}`,
        'error' in outcome ? { cause: outcome.error } : undefined,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}
