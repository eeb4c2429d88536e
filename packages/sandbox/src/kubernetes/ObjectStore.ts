import { randomUUID } from 'node:crypto';
import {
  KubeObject,
  ResourceType,
  apiVersionOf,
  resourceTypeOf,
} from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { managedFieldsAfterWrite } from './managedFields';
import { insertKey, namespaceRange, removeKey, upperBound } from './sortedKeys';
import { decodeContinue, encodeContinue } from './continueToken';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** A failure the API server reports with a Status body of this code and reason. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  /** The objects after this page; only for a list without label or field selector. */
  remainingItemCount?: number;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Events after this version; undefined or '0': from now. */
  resourceVersion?: string;
  /**
   * Whether the watch starts with the current state, an ADDED event per object (a watch list's
   * `sendInitialEvents`). Unset: when `resourceVersion` is unset or "0", as watches always did.
   */
  sendInitialEvents?: boolean;
}

/** How a watch starts: the events it sends before the live ones, and the version they bring it to. */
export interface WatchStart {
  /**
   * The current state as ADDED events (sorted by namespace and name), or the retained events
   * after `resourceVersion`; read lazily, from a snapshot taken when the watch started.
   */
  initial: Iterable<WatchEvent>;
  /** The store's resourceVersion when the watch started: every later event is a live one. */
  resourceVersion: string;
  /** Stops the live events. */
  stop: () => void;
}

interface Watcher {
  matches: (object: KubeObject) => boolean;
  send: (event: WatchEvent) => void;
}

interface TypeState {
  objects: Map<string, KubeObject>;
  /**
   * The objects' keys in list order, kept as objects come and go (binary search, then splice);
   * dropped when every object is replaced, and sorted again when next read.
   */
  sortedKeys?: string[];
  /** Recent events, oldest first; older ones are compacted away. */
  events: Array<WatchEvent & { rv: number }>;
  /** Watches from a version below this are answered 410 Gone. */
  floor: number;
  watchers: Set<Watcher>;
}

const EVENT_HISTORY_PER_TYPE = 10_000;

/** Who writes objects when no field manager is named (seeding, the sandbox's controllers). */
export const SANDBOX_FIELD_MANAGER = 'omnivision-sandbox';

/** How a write is made: the field manager it is recorded under in `managedFields`. */
export interface WriteOptions {
  fieldManager?: string;
}

/**
 * Kinds whose objects carry `metadata.managedFields`. The API server records them on every
 * object; the sandbox records them where a reader depends on them (a Secret's data keys are
 * named there, and nowhere else in its metadata) and keeps lists of pods and nodes light.
 */
const KINDS_WITH_MANAGED_FIELDS = new Set(['v1/Secret']);

function notFound(type: ResourceType, name: string) {
  return new KubeApiError(
    404,
    'NotFound',
    `${type.plural} "${name}" not found`,
    {
      name,
      kind: type.plural,
    },
  );
}

/**
 * A new uid as one flat string: `randomUUID()` joins it from 20 pieces, which V8 keeps as a tree
 * of about 500 bytes, ten times the text; at 150,000 pods per cluster that tree is most of a
 * pod's memory.
 */
function newUid(): string {
  return Buffer.from(randomUUID(), 'latin1').toString('latin1');
}

function keyOf(namespace: string | undefined, name: string) {
  return namespace ? `${namespace}/${name}` : name;
}

/** A watch's resourceVersion as a number, or undefined when it is unset or "0" (from now). */
function watchVersion(text: string | undefined): number | undefined {
  if (!text || text === '0') return undefined;
  const rv = Number(text);
  if (!Number.isInteger(rv) || rv < 0) {
    throw new KubeApiError(
      400,
      'BadRequest',
      `invalid resource version: ${JSON.stringify(text)}`,
    );
  }
  return rv;
}

/** The index of the first event after `rv` in a history sorted by version. */
function firstEventAfter(events: ReadonlyArray<{ rv: number }>, rv: number) {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (events[middle].rv <= rv) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The state of one simulated API server: objects by resource type, a cluster-wide
 * resourceVersion, a bounded event history per type (older versions are "compacted", as etcd
 * does) and the open watches.
 */
export class ObjectStore {
  #rv = 1000;
  readonly #types = new Map<string, TypeState>();

  static create(): ObjectStore {
    return new ObjectStore();
  }

  private constructor() {}

  #state(type: ResourceType): TypeState {
    const key = `${apiVersionOf(type)}/${type.plural}`;
    let state = this.#types.get(key);
    if (!state) {
      state = { objects: new Map(), events: [], floor: 0, watchers: new Set() };
      this.#types.set(key, state);
    }
    return state;
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  #emit(type: ResourceType, event: WatchEvent) {
    const state = this.#state(type);
    state.events.push({ ...event, rv: this.#rv });
    if (state.events.length > EVENT_HISTORY_PER_TYPE) {
      const dropped = state.events.splice(
        0,
        state.events.length - EVENT_HISTORY_PER_TYPE,
      );
      state.floor = dropped[dropped.length - 1].rv;
    }
    for (const watcher of state.watchers) {
      if (watcher.matches(event.object)) watcher.send(event);
    }
  }

  #stamp(
    object: KubeObject,
    existing?: KubeObject,
    fieldManager = SANDBOX_FIELD_MANAGER,
  ): KubeObject {
    this.#rv += 1;
    const generationChanged =
      existing && JSON.stringify(existing.spec) !== JSON.stringify(object.spec);
    const { managedFields: _m, ...metadata } = object.metadata;
    const managed = KINDS_WITH_MANAGED_FIELDS.has(
      `${object.apiVersion}/${object.kind}`,
    );
    return {
      ...object,
      metadata: {
        ...metadata,
        ...(managed
          ? {
              managedFields: managedFieldsAfterWrite(
                object,
                fieldManager,
                new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
              ),
            }
          : {}),
        uid: existing?.metadata.uid ?? object.metadata.uid ?? newUid(),
        creationTimestamp:
          existing?.metadata.creationTimestamp ??
          object.metadata.creationTimestamp ??
          new Date().toISOString(),
        generation: existing
          ? (existing.metadata.generation ?? 1) + (generationChanged ? 1 : 0)
          : object.metadata.generation ?? 1,
        resourceVersion: String(this.#rv),
      },
    };
  }

  /**
   * Replaces every object without events, as if they had always been there (seeding, scaling).
   * The event history is compacted: open watches must re-list (410 Gone on their next watch).
   */
  replaceAll(objects: KubeObject[]) {
    for (const state of this.#types.values()) {
      state.objects.clear();
      state.sortedKeys = undefined;
    }
    for (const object of objects) {
      const type = resourceTypeOf(object);
      const state = this.#state(type);
      const key = keyOf(object.metadata.namespace, object.metadata.name);
      state.objects.set(key, this.#stamp(object, state.objects.get(key)));
    }
    this.compact();
  }

  /** Forgets every type's event history: watches from an older version get 410 Gone. */
  compact() {
    for (const state of this.#types.values()) {
      state.events = [];
      state.floor = this.#rv;
    }
  }

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.#state(type).objects.get(
      keyOf(type.namespaced ? namespace : undefined, name),
    );
  }

  /** Every object of a type, in no particular order (for the sandbox's own controllers). */
  all(type: ResourceType): KubeObject[] {
    return [...this.#state(type).objects.values()];
  }

  create(object: KubeObject, options: WriteOptions = {}): KubeObject {
    const type = resourceTypeOf(object);
    const state = this.#state(type);
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    if (state.objects.has(key)) {
      throw new KubeApiError(
        409,
        'AlreadyExists',
        `${type.plural} "${object.metadata.name}" already exists`,
        {
          name: object.metadata.name,
          kind: type.plural,
        },
      );
    }
    const stored = this.#stamp(object, undefined, options.fieldManager);
    state.objects.set(key, stored);
    if (state.sortedKeys) insertKey(state.sortedKeys, key);
    this.#emit(type, { type: 'ADDED', object: stored });
    return stored;
  }

  /** Creates or replaces an object; unchanged content produces no event. */
  apply(object: KubeObject, options: WriteOptions = {}): KubeObject {
    const type = resourceTypeOf(object);
    const state = this.#state(type);
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    const existing = state.objects.get(key);
    if (!existing) return this.create(object, options);
    const {
      resourceVersion: _a,
      uid: _b,
      creationTimestamp: _c,
      generation: _d,
      managedFields: _m,
      ...newMeta
    } = object.metadata;
    const {
      resourceVersion: _e,
      uid: _f,
      creationTimestamp: _g,
      generation: _h,
      managedFields: _n,
      ...oldMeta
    } = existing.metadata;
    if (
      JSON.stringify({ ...object, metadata: newMeta }) ===
      JSON.stringify({ ...existing, metadata: oldMeta })
    ) {
      return existing;
    }
    const stored = this.#stamp(object, existing, options.fieldManager);
    state.objects.set(key, stored);
    this.#emit(type, { type: 'MODIFIED', object: stored });
    return stored;
  }

  /** Changes an existing object through a function of a copy of it. */
  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    change: (copy: KubeObject) => void,
  ): KubeObject {
    const existing = this.get(type, namespace, name);
    if (!existing) {
      throw notFound(type, name);
    }
    const copy = structuredClone(existing);
    change(copy);
    return this.apply(copy);
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const state = this.#state(type);
    const key = keyOf(type.namespaced ? namespace : undefined, name);
    const existing = state.objects.get(key);
    if (!existing) {
      throw notFound(type, name);
    }
    state.objects.delete(key);
    if (state.sortedKeys) removeKey(state.sortedKeys, key);
    this.#rv += 1;
    const gone = {
      ...existing,
      metadata: { ...existing.metadata, resourceVersion: String(this.#rv) },
    };
    this.#emit(type, { type: 'DELETED', object: gone });
    return gone;
  }

  #matcher(
    type: ResourceType,
    options: {
      namespace?: string;
      labelSelector?: string;
      fieldSelector?: string;
    },
  ) {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector, type.kind);
    const namespace = type.namespaced ? options.namespace : undefined;
    return (object: KubeObject) =>
      (!namespace || object.metadata.namespace === namespace) &&
      labels(object.metadata.labels) &&
      fields(object);
  }

  /** The type's keys in list order, sorted once and then kept sorted. */
  #sortedKeys(state: TypeState): string[] {
    state.sortedKeys ??= [...state.objects.keys()].sort();
    return state.sortedKeys;
  }

  /** The indexes `[from, to)` of the sorted keys a list or watch ranges over. */
  #range(
    type: ResourceType,
    keys: readonly string[],
    namespace?: string,
  ): [number, number] {
    return type.namespaced && namespace
      ? namespaceRange(keys, namespace)
      : [0, keys.length];
  }

  /**
   * Lists objects sorted by namespace and name. With `limit`, returns a page and, when keys remain
   * after it, a `continue` token that resumes after the last key it went through (a token from
   * before the last compaction is 410 Expired). As the API server counts them,
   * `remainingItemCount` is the number of keys after the page, given only without a label or
   * field selector (with one, how many of them match is unknown). A page costs its size plus a
   * binary search, and the keys it skips when a selector filters them.
   */
  list(type: ResourceType, options: ListOptions = {}): ListResult {
    const state = this.#state(type);
    let startAfter: string | undefined;
    let listRv = this.#rv;
    if (options.continue) {
      const token = decodeContinue(options.continue);
      if (token.rv < state.floor) {
        throw new KubeApiError(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      startAfter = token.start;
      listRv = token.rv;
    }
    const selected = Boolean(
      options.labelSelector?.trim() || options.fieldSelector?.trim(),
    );
    const matches = selected ? this.#matcher(type, options) : undefined;
    const keys = this.#sortedKeys(state);
    const [from, to] = this.#range(type, keys, options.namespace);
    let index =
      startAfter === undefined
        ? from
        : Math.max(from, upperBound(keys, startAfter));
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const items: KubeObject[] = [];
    let lastKey: string | undefined;
    for (; index < to && items.length < limit; index++) {
      lastKey = keys[index];
      const object = state.objects.get(lastKey)!;
      if (!matches || matches(object)) items.push(object);
    }
    const result: ListResult = { items, resourceVersion: String(listRv) };
    if (index < to && lastKey !== undefined) {
      result.continue = encodeContinue({ rv: listRv, start: lastKey });
      if (!selected) result.remainingItemCount = to - index;
    }
    return result;
  }

  /**
   * Watches a type. The watch starts with the current state (ADDED events, when
   * `sendInitialEvents` asks for it or, unset, for a watch from no version or "0"), or with the
   * retained events after `resourceVersion` (410 Expired when they were compacted away), or with
   * nothing; `send` then gets every new event. The initial events come from a snapshot taken
   * now, read as the caller iterates them.
   */
  watch(
    type: ResourceType,
    options: WatchOptions,
    send: (event: WatchEvent) => void,
  ): WatchStart {
    const state = this.#state(type);
    const matches = this.#matcher(type, options);
    const rv = watchVersion(options.resourceVersion);
    const sendInitialEvents = options.sendInitialEvents ?? rv === undefined;
    let initial: Iterable<WatchEvent> = [];
    if (sendInitialEvents) {
      if (rv !== undefined && rv > this.#rv) {
        throw new KubeApiError(
          504,
          'Timeout',
          `Timeout: Too large resource version: ${rv}, current: ${this.#rv}`,
          {
            causes: [
              {
                reason: 'ResourceVersionTooLarge',
                message: 'Too large resource version',
              },
            ],
            retryAfterSeconds: 1,
          },
        );
      }
      const keys = this.#sortedKeys(state);
      const [from, to] = this.#range(type, keys, options.namespace);
      const snapshot = new Array<KubeObject>(to - from);
      for (let i = from; i < to; i++)
        snapshot[i - from] = state.objects.get(keys[i])!;
      initial = (function* currentState() {
        for (const object of snapshot) {
          if (matches(object)) yield { type: 'ADDED' as const, object };
        }
      })();
    } else if (rv !== undefined) {
      if (rv < state.floor) {
        throw new KubeApiError(
          410,
          'Expired',
          `too old resource version: ${rv} (${state.floor})`,
        );
      }
      const retained = state.events.slice(firstEventAfter(state.events, rv));
      initial = (function* eventsSince() {
        for (const { type: eventType, object } of retained) {
          if (matches(object)) yield { type: eventType, object };
        }
      })();
    }
    const watcher: Watcher = { matches, send };
    state.watchers.add(watcher);
    return {
      initial,
      resourceVersion: String(this.#rv),
      stop: () => state.watchers.delete(watcher),
    };
  }

  /** Object counts per resource type, for the admin API. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [key, state] of this.#types) counts[key] = state.objects.size;
    return counts;
  }
}
