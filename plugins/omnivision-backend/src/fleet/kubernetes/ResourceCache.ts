import type { LoggerService } from '@backstage/backend-plugin-api';
import { INITIAL_EVENTS_END_ANNOTATION } from '@internal/plugin-omnivision-common';
import {
  CachedResource,
  DEFAULT_CACHE_TIMINGS,
  ResourceCacheState,
  ResourceCacheTimings,
} from './CachedResource';
import {
  ClusterConnection,
  KubeApiError,
  OpenWatch,
  WatchEvent,
} from './ClusterConnection';

interface ListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: any[];
}

function keyOf(object: any): string {
  const m = object?.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}

/** A failed list or watch of a resource cache. */
export interface ResourceCacheFailure {
  operation: 'list' | 'watch';
  error: KubeApiError;
}

/**
 * Why a request to an API server failed, in a word: its HTTP status code (`403`), `timeout`
 * when nothing answered in time, `network` otherwise (refused, reset, TLS, a bad answer).
 */
export function kubeFailureReason(error: KubeApiError): string {
  if (error.statusCode !== undefined) return String(error.statusCode);
  if (/no answer in time/.test(error.message)) return 'timeout';
  return 'network';
}

/** What a resource cache watches, with what, and whom it tells of each contact and failure. */
export interface ResourceCacheOptions<T> {
  connection: ClusterConnection;
  resource: CachedResource<T>;
  logger: LoggerService;
  timings?: Partial<ResourceCacheTimings>;
  onContact?: () => void;
  /** Each failed list or watch (not the `410 Gone` that asks for a new list). */
  onFailure?: (failure: ResourceCacheFailure) => void;
}

/**
 * A list+watch cache of one resource kind in one cluster, as client-go's reflector keeps one:
 * it fills itself with a streaming watch list where the server offers it (a watch with
 * `sendInitialEvents=true`, Kubernetes 1.32 and later: the current objects as `ADDED` events,
 * then a bookmark annotated `k8s.io/initial-events-end`, then the changes, on one connection),
 * else by listing in pages and watching from the list's resourceVersion. It renews the watch
 * where it left off with bookmarks, fills itself again only when the server answers `410 Gone`,
 * and retries failures with exponential backoff. Between a failure and the next success it keeps
 * serving the last good items.
 *
 * Not client-node's `makeInformer`/`ListWatch`: that store keeps every full object (a pod's
 * summary is a sixth of it, a node's a thirteenth; secrets' values would stay in memory), lists
 * in one request without `limit`, asks for no bookmarks and no `timeoutSeconds`, gives the list
 * and the watch's opening no deadline, and stops at the first error other than 410. A resource
 * read `metadataOnly` (Secrets) is listed and watched as `PartialObjectMetadata`, as client-go's
 * metadata informers do, so no Secret value ever reaches the portal.
 */
export class ResourceCache<T> {
  #items = new Map<string, T>();
  #resourceVersion: string | undefined;
  #state: ResourceCacheState = 'syncing';
  #error: string | undefined;
  #version = 0;
  /** Since when the cache has not been current (undefined while it is). */
  #behindSince: number | undefined = Date.now();
  #stopped = false;
  #watch: OpenWatch | undefined;
  #wake: (() => void) | undefined;
  /** Whether the server streams a watch's initial events; unknown until it is asked once. */
  #streamsInitialEvents: boolean | undefined;
  /** The last watch list failed before its initial events ended: the next fill lists in pages. */
  #listNext = false;
  /** Not filled yet, or the server forgot the resourceVersion (410): list or watch list first. */
  #mustFill = true;
  readonly #listeners = new Set<() => void>();

  static create<T>(options: ResourceCacheOptions<T>): ResourceCache<T> {
    return new ResourceCache(options);
  }

  private constructor(private readonly options: ResourceCacheOptions<T>) {}

  get #timings(): ResourceCacheTimings {
    return { ...DEFAULT_CACHE_TIMINGS, ...this.options.timings };
  }

  get plural() {
    return this.options.resource.plural;
  }

  get state(): ResourceCacheState {
    return this.#state;
  }

  /** Why the last attempt failed, while the cache is not current. */
  get error(): string | undefined {
    return this.#error;
  }

  /** Counts changes: equal versions mean equal contents. */
  get version(): number {
    return this.#version;
  }

  /** The cached summaries (the last good ones while the cache is stale). */
  items(): T[] {
    return [...this.#items.values()];
  }

  /**
   * Seconds since the cache was last current: 0 while synced, then growing until a list or
   * watch succeeds; undefined for a kind the cluster does not serve.
   */
  staleSeconds(now = Date.now()): number | undefined {
    if (this.#state === 'unavailable') return undefined;
    if (this.#behindSince === undefined) return 0;
    return Math.max(0, (now - this.#behindSince) / 1000);
  }

  /** Whether the items can be used: filled at least once. */
  get filled(): boolean {
    return this.#state === 'synced' || this.#state === 'stale';
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#behindSince ??= Date.now();
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#watch?.abort();
    this.#wake?.();
  }

  #changed() {
    this.#version += 1;
    for (const listener of this.#listeners) listener();
  }

  #contact() {
    this.options.onContact?.();
  }

  async #run() {
    let failures = 0;
    let operation: ResourceCacheFailure['operation'] = 'list';
    while (!this.#stopped) {
      try {
        if (this.#mustFill) {
          operation = 'list';
          if (this.#streamsInitialEvents !== false && !this.#listNext) {
            // As client-go's reflector: a watch list that fails before its initial events end is
            // followed by a paged list.
            this.#listNext = true;
            const streamed = await this.#watchOnce({ initialEvents: true });
            if (streamed) {
              failures = 0;
              continue;
            }
            this.#streamsInitialEvents = false;
            this.options.logger.info(
              `${this.options.connection.endpoint.name} does not stream the initial events of a watch: listing ${this.plural} in pages`,
            );
          }
          await this.#list();
        }
        operation = 'watch';
        await this.#watchOnce({ initialEvents: false });
        failures = 0;
      } catch (error) {
        if (this.#stopped) return;
        const e =
          error instanceof KubeApiError
            ? error
            : new KubeApiError(String(error));
        if (e.expired) {
          // The server forgot our resourceVersion: fill the cache afresh, at once.
          this.#mustFill = true;
          this.#listNext = false;
          continue;
        }
        failures += 1;
        this.options.onFailure?.({ operation, error: e });
        this.#fail(e);
        await this.#sleep(this.#backoff(failures));
      }
    }
  }

  #fail(error: KubeApiError) {
    const previous = this.#state;
    if (previous === 'synced') this.#behindSince = Date.now();
    if (error.statusCode === 404) {
      this.#state = 'unavailable';
      this.#error = `the cluster does not serve ${this.plural}`;
    } else {
      this.#state = this.filled ? 'stale' : 'syncing';
      this.#error = `${this.plural}: ${error.message}`;
    }
    if (previous !== this.#state) {
      this.options.logger.warn(
        `${this.options.connection.endpoint.name}: ${this.#error}`,
      );
      this.#changed();
    }
  }

  #backoff(failures: number): number {
    const { minBackoffMs, maxBackoffMs } = this.#timings;
    const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** (failures - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #list() {
    const { connection, resource } = this.options;
    const { requestTimeoutMs, pageSize } = this.#timings;
    const items = new Map<string, T>();
    let continueToken: string | undefined;
    let resourceVersion: string | undefined;
    do {
      const page = await connection.get<ListPage>(
        resource.path,
        {
          limit: pageSize,
          continue: continueToken,
          labelSelector: resource.labelSelector,
        },
        requestTimeoutMs,
        { metadataOnly: resource.metadataOnly },
      );
      this.#contact();
      for (const object of page.items ?? []) {
        items.set(keyOf(object), resource.summarize(object));
      }
      continueToken = page.metadata?.continue || undefined;
      resourceVersion = page.metadata?.resourceVersion;
    } while (continueToken && !this.#stopped);
    this.#fill(items, resourceVersion);
  }

  /** Swaps in whole: readers see the last good items until the new ones are complete. */
  #fill(items: Map<string, T>, resourceVersion: string | undefined) {
    this.#mustFill = false;
    this.#listNext = false;
    this.#items = items;
    this.#resourceVersion = resourceVersion;
    this.#state = 'synced';
    this.#behindSince = undefined;
    this.#error = undefined;
    this.#changed();
  }

  /**
   * Watches until the server closes the watch. With `initialEvents`, asks for the current objects
   * first (`sendInitialEvents=true`) and swaps them in whole at the bookmark that ends them; then
   * answers false, having changed nothing, when the server does not offer it: it refuses the
   * parameters (`400`, `422`, as servers before the feature do) or sends a bookmark without the
   * annotation.
   */
  async #watchOnce(options: { initialEvents: boolean }): Promise<boolean> {
    const { connection, resource } = this.options;
    const { requestTimeoutMs, watchTimeoutSeconds } = this.#timings;
    let failed: KubeApiError | undefined;
    let unsupported = false;
    // The objects of the initial events, until the bookmark that ends them.
    let initial: Map<string, T> | undefined = options.initialEvents
      ? new Map()
      : undefined;
    let watch: OpenWatch | undefined = undefined;
    const onEvent = (event: WatchEvent) => {
      this.#contact();
      if (failed || unsupported) return;
      if (initial) {
        const outcome = this.#applyInitial(initial, event);
        if (outcome === 'ended') {
          initial = undefined;
        } else if (outcome === 'unsupported') {
          unsupported = true;
          watch?.abort();
        } else if (outcome) {
          failed = outcome;
          watch?.abort();
        }
        return;
      }
      failed = this.#apply(event);
      if (failed) watch?.abort();
    };
    try {
      watch = await connection.watch(
        resource.path,
        {
          ...(options.initialEvents
            ? { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' }
            : { resourceVersion: this.#resourceVersion }),
          allowWatchBookmarks: true,
          timeoutSeconds: watchTimeoutSeconds,
          labelSelector: resource.labelSelector,
        },
        onEvent,
        requestTimeoutMs,
        { metadataOnly: resource.metadataOnly },
      );
    } catch (error) {
      const status =
        error instanceof KubeApiError ? error.statusCode : undefined;
      if (options.initialEvents && (status === 400 || status === 422)) {
        return false;
      }
      throw error;
    }
    this.#watch = watch;
    if (failed || unsupported) watch.abort();
    this.#contact();
    if (!options.initialEvents) this.#current();
    // A watch the server forgot to close (a silent network partition) is renewed all the same.
    const open = watch;
    const guard = setTimeout(
      () => open.abort(),
      (watchTimeoutSeconds + 30) * 1000,
    );
    try {
      await open.ended;
    } finally {
      clearTimeout(guard);
      this.#watch = undefined;
    }
    if (failed) throw failed;
    if (unsupported) return false;
    if (initial && !this.#stopped) {
      throw new KubeApiError(
        'the watch ended before its initial events were complete',
      );
    }
    return true;
  }

  /** The cache is current: the list or the watch's opening succeeded. */
  #current() {
    if (this.#state === 'synced') return;
    this.#state = 'synced';
    this.#behindSince = undefined;
    this.#error = undefined;
    this.#changed();
  }

  /**
   * One event of a watch's initial events: an object to keep, the bookmark that ends them (the
   * objects are swapped in whole), a bookmark without the annotation or a change (the server does
   * not stream initial events), or an error.
   */
  #applyInitial(
    initial: Map<string, T>,
    event: WatchEvent,
  ): 'ended' | 'unsupported' | KubeApiError | undefined {
    const { type, object } = event;
    if (type === 'ADDED') {
      initial.set(keyOf(object), this.options.resource.summarize(object));
      return undefined;
    }
    if (type === 'BOOKMARK') {
      const annotations = object?.metadata?.annotations ?? {};
      if (annotations[INITIAL_EVENTS_END_ANNOTATION] !== 'true') {
        return 'unsupported';
      }
      this.#fill(initial, object?.metadata?.resourceVersion);
      return 'ended';
    }
    if (type === 'ERROR') return this.#apply(event);
    // Only ADDED events come before the bookmark: a server (or proxy) sending changes already
    // does not stream initial events.
    return 'unsupported';
  }

  /** Applies one event to the items; an `ERROR` event comes back as the error it reports. */
  #apply(event: WatchEvent): KubeApiError | undefined {
    const { type, object } = event;
    const rv = object?.metadata?.resourceVersion;
    switch (type) {
      case 'ADDED':
      case 'MODIFIED': {
        const key = keyOf(object);
        const summary = this.options.resource.summarize(object);
        const previous = this.#items.get(key);
        this.#items.set(key, summary);
        this.#resourceVersion = rv ?? this.#resourceVersion;
        // A node's heartbeat, a status write of nothing we keep: no change to anyone.
        if (
          previous === undefined ||
          JSON.stringify(previous) !== JSON.stringify(summary)
        ) {
          this.#changed();
        }
        return undefined;
      }
      case 'DELETED':
        this.#items.delete(keyOf(object));
        this.#resourceVersion = rv ?? this.#resourceVersion;
        this.#changed();
        return undefined;
      case 'BOOKMARK':
        this.#resourceVersion = rv ?? this.#resourceVersion;
        return undefined;
      case 'ERROR':
        // A Status object; 410 Expired means our resourceVersion is too old.
        return new KubeApiError(
          `${object?.code ?? ''} ${object?.message ?? 'watch error'}`.trim(),
          object?.code,
        );
      default:
        return undefined;
    }
  }
}
