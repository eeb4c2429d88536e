import { KubeApiError } from './ObjectStore';
import type { KubeObject, ResourceType } from './resources';

/** The patch type the sandbox's API servers apply; any other is `415`. */
export const MERGE_PATCH = 'application/merge-patch+json';

/** The kinds the API servers let clients patch (the rest stay read-only: `405`). */
export const PATCHABLE_KINDS = new Set(['Rollout']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7386 JSON merge patch: objects merge key by key, `null` deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isObject(target)
    ? structuredClone(target)
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** The Rollout fields the portal and Argo Rollouts' plugin patch, with the type its CRD gives each. */
const ROLLOUT_FIELDS: Array<{
  path: [string, string];
  type: 'boolean' | 'integer' | 'array';
}> = [
  { path: ['spec', 'paused'], type: 'boolean' },
  { path: ['status', 'abort'], type: 'boolean' },
  { path: ['status', 'promoteFull'], type: 'boolean' },
  { path: ['status', 'currentStepIndex'], type: 'integer' },
  { path: ['status', 'pauseConditions'], type: 'array' },
];

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

/**
 * An object after a merge patch of it or of its `status` subresource, as the API server with a
 * CRD's status subresource makes it: a patch of the object leaves `status` as it was, a patch of
 * `status` changes nothing else. Refuses (`KubeApiError`) a patch that is not a JSON object (400),
 * renames the object (400) or gives a field the wrong type (422 Invalid, with its causes).
 */
export function patchedObject(
  type: ResourceType,
  existing: KubeObject,
  patch: unknown,
  subresource: 'status' | undefined,
): KubeObject {
  if (!isObject(patch)) {
    throw new KubeApiError(
      400,
      'BadRequest',
      'the body of the request must be a JSON object',
    );
  }
  const merged = applyMergePatch(existing, patch) as KubeObject;
  const name = existing.metadata.name;
  if (
    merged.metadata?.name !== name ||
    merged.metadata?.namespace !== existing.metadata.namespace
  ) {
    throw new KubeApiError(
      400,
      'BadRequest',
      `the name of the object (${String(
        merged.metadata?.name,
      )}) does not match the name on the URL (${name})`,
    );
  }
  const result: KubeObject =
    subresource === 'status'
      ? { ...existing, status: merged.status }
      : { ...merged, status: existing.status };
  const causes = ROLLOUT_FIELDS.flatMap(({ path: [top, field], type: t }) => {
    const value = (result as any)[top]?.[field];
    if (value === undefined || typeOf(value) === t) return [];
    return [
      {
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: "${typeOf(
          value,
        )}": ${top}.${field} in body must be of type ${t}: "${typeOf(value)}"`,
        field: `${top}.${field}`,
      },
    ];
  });
  if (type.kind === 'Rollout' && causes.length > 0) {
    const qualified = `${type.kind}.${type.group}`;
    throw new KubeApiError(
      422,
      'Invalid',
      `${qualified} "${name}" is invalid: ${causes
        .map(c => `${c.field}: ${c.message}`)
        .join(', ')}`,
      { name, group: type.group, kind: type.kind, causes },
    );
  }
  return result;
}
