import { createHash } from 'node:crypto';
import type { V1ObjectMeta } from '@kubernetes/client-node';

/**
 * A `@kubernetes/client-node` model as the API serves it in JSON. The client's models hold
 * `Date`s where the wire holds RFC 3339 strings; the sandbox stores and serves the wire form.
 */
export type Json<T> = T extends Date
  ? string
  : T extends Array<infer U>
  ? Array<Json<U>>
  : T extends object
  ? { [K in keyof T]: Json<T[K]> }
  : T;

/** An object's metadata as the sandbox builds it: the API's, with the name it always has. */
export type ObjectMeta = Json<V1ObjectMeta> & { name: string };

/**
 * One object of a core kind as the sandbox builds it: the kind's client-node model (`V1Node`,
 * `V1Pod`, ...) in JSON, with the apiVersion, kind and name the store needs. It is a
 * `KubeObject` (see `../resources`).
 */
export type KubeObjectOf<Model> = Json<Model> & {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
};

/**
 * The envelope of a custom resource of the given group version and kind, for the small types
 * of the custom resources the sandbox serves (their packages publish no TypeScript models).
 */
export type CustomResource<ApiVersion extends string, Kind extends string> = {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: ObjectMeta;
};

/** When every seeded object was created. */
export const SEED_TIME = '2026-11-01T08:00:00Z';

/** A stable fake identifier (uid, machine ID) derived from a text. */
export function stableId(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
