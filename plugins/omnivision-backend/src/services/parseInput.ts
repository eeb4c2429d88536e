import { InputError } from '@backstage/errors';
import type { z } from 'zod/v3';

/**
 * Parses a route's input (body, query or path parameter) with a zod schema, or refuses it with an
 * InputError (400) that names each problem: `invalid <what>: <field> <message>; …`, an unknown
 * key as `unknown parameter <key>`.
 */
export function parseInput<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const reasons = result.error.issues.map(issue =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.join(', ')}`
        : `${issue.path.join('.') || what} ${issue.message}`,
    );
    throw new InputError(`invalid ${what}: ${reasons.join('; ')}`);
  }
  return result.data;
}
