import type { KubeObject } from './resources';

/** Metadata fields the API server sets itself: no manager owns them. */
const SERVER_SET_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
]);

type FieldSet = { [field: string]: FieldSet };

function fieldSetOf(value: unknown, nested: boolean): FieldSet {
  // Lists are atomic here: the API server keys their items (`k:{...}`, `v:...`); the sandbox
  // does not need their structure.
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const set: FieldSet = nested ? { '.': {} } : {};
  for (const [key, child] of Object.entries(value)) {
    set[`f:${key}`] = fieldSetOf(child, true);
  }
  return set;
}

/**
 * The fields an object's writer set, in the `FieldsV1` form of `metadata.managedFields`: the
 * names of its fields (a Secret's data keys among them), never their values.
 */
export function fieldsV1Of(object: KubeObject): FieldSet {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object;
  const ownMetadata = Object.fromEntries(
    Object.entries(metadata).filter(([key]) => !SERVER_SET_METADATA.has(key)),
  );
  const set = fieldSetOf(rest, false);
  if (Object.keys(ownMetadata).length > 0) {
    set['f:metadata'] = fieldSetOf(ownMetadata, false);
  }
  return set;
}

/**
 * `metadata.managedFields` after a write by `manager`, as the API server records an `Update`:
 * the sandbox keeps one entry, the last writer's, for all the fields.
 */
export function managedFieldsAfterWrite(
  object: KubeObject,
  manager: string,
  time: string,
) {
  return [
    {
      manager,
      operation: 'Update',
      apiVersion: object.apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1Of(object),
    },
  ];
}
