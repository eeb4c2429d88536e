/** A resource kind the fleet caches, and what it keeps of each object. */
export interface CachedResource<T> {
  /** The resource's plural, for messages and errors (`pods`, `clusterpolicies`). */
  plural: string;
  /** The collection's path across all namespaces, e.g. `/api/v1/pods`. */
  path: string;
  labelSelector?: string;
  /**
   * Reads the objects' metadata only (`PartialObjectMetadataList`, `PartialObjectMetadata`
   * events): `summarize` gets `{ metadata }`. Secrets are read so, never with their values.
   */
  metadataOnly?: boolean;
  /** Keeps only the fields the status needs, so large clusters stay small in memory. */
  summarize(object: any): T;
}

/** Timings of a cache; the defaults suit production, tests shorten them. */
export interface ResourceCacheTimings {
  /** Deadline of each list page and of opening a watch. */
  requestTimeoutMs: number;
  /** Objects per list page. */
  pageSize: number;
  /** How long the server may keep a watch open before it is renewed (server-side timeout). */
  watchTimeoutSeconds: number;
  /** First and longest wait between failed attempts (doubling, with jitter). */
  minBackoffMs: number;
  maxBackoffMs: number;
}

/** The timings of a resource cache in production. */
export const DEFAULT_CACHE_TIMINGS: ResourceCacheTimings = {
  requestTimeoutMs: 15_000,
  pageSize: 5_000,
  watchTimeoutSeconds: 300,
  minBackoffMs: 500,
  maxBackoffMs: 30_000,
};

/** Where a resource cache stands. */
export type ResourceCacheState =
  /** Never filled yet. */
  | 'syncing'
  /** Filled, and its watch is current. */
  | 'synced'
  /** Filled once, but the last attempt failed: the items are the last good ones. */
  | 'stale'
  /** The server does not serve this resource (404): the CRD is not installed. */
  | 'unavailable';
