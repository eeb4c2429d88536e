import { randomUUID } from 'node:crypto';
import {
  KubeObject,
  ResourceType,
  apiVersionOf,
  resourceTypeOf,
} from './resources';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { managedFieldsAfterWrite } from './managedFields';

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
  remainingItemCount?: number;
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Events after this version; undefined or '0' starts with ADDED events for every object. */
  resourceVersion?: string;
}

interface Watcher {
  matches: (object: KubeObject) => boolean;
  send: (event: WatchEvent) => void;
}

interface TypeState {
  objects: Map<string, KubeObject>;
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

function keyOf(namespace: string | undefined, name: string) {
  return namespace ? `${namespace}/${name}` : name;
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
        uid: existing?.metadata.uid ?? object.metadata.uid ?? randomUUID(),
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
    for (const state of this.#types.values()) state.objects.clear();
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

  /**
   * Lists objects sorted by namespace and name. With `limit`, returns a page and a `continue`
   * token that resumes after the last key; a token from before the last compaction is 410 Gone.
   */
  list(type: ResourceType, options: ListOptions = {}): ListResult {
    const state = this.#state(type);
    const matches = this.#matcher(type, options);
    let startAfter: string | undefined;
    let listRv = this.#rv;
    if (options.continue) {
      let token: { rv: number; start: string };
      try {
        token = JSON.parse(
          Buffer.from(options.continue, 'base64url').toString('utf8'),
        );
      } catch {
        throw new KubeApiError(
          400,
          'BadRequest',
          'continue key is not valid: incorrect encoded start resourceVersion',
        );
      }
      if (typeof token.rv !== 'number' || typeof token.start !== 'string') {
        throw new KubeApiError(400, 'BadRequest', 'continue key is not valid');
      }
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
    const keys = [...state.objects.keys()].sort();
    const items: KubeObject[] = [];
    let index =
      startAfter === undefined ? 0 : keys.findIndex(k => k > startAfter!);
    if (index < 0) index = keys.length;
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    let lastKey: string | undefined;
    for (; index < keys.length && items.length < limit; index++) {
      const object = state.objects.get(keys[index])!;
      if (matches(object)) {
        items.push(object);
        lastKey = keys[index];
      }
    }
    let remaining = 0;
    for (let i = index; i < keys.length; i++) {
      if (matches(state.objects.get(keys[i])!)) remaining++;
    }
    const result: ListResult = { items, resourceVersion: String(listRv) };
    if (remaining > 0 && lastKey !== undefined) {
      result.continue = Buffer.from(
        JSON.stringify({ rv: listRv, start: lastKey }),
      ).toString('base64url');
      result.remainingItemCount = remaining;
    }
    return result;
  }

  /**
   * Watches a type. Sends the events after `resourceVersion` (or an ADDED event per object when
   * it is absent or "0"), then every new event. Throws 410 Expired for a compacted version.
   */
  watch(
    type: ResourceType,
    options: WatchOptions,
    send: (event: WatchEvent) => void,
  ): () => void {
    const state = this.#state(type);
    const matches = this.#matcher(type, options);
    const rvText = options.resourceVersion;
    if (rvText && rvText !== '0') {
      const rv = Number(rvText);
      if (!Number.isInteger(rv) || rv < 0) {
        throw new KubeApiError(
          400,
          'BadRequest',
          `invalid resource version: ${JSON.stringify(rvText)}`,
        );
      }
      if (rv < state.floor) {
        throw new KubeApiError(
          410,
          'Expired',
          `too old resource version: ${rv} (${state.floor})`,
        );
      }
      for (const event of state.events) {
        if (event.rv > rv && matches(event.object))
          send({ type: event.type, object: event.object });
      }
    } else {
      for (const object of state.objects.values()) {
        if (matches(object)) send({ type: 'ADDED', object });
      }
    }
    const watcher: Watcher = { matches, send };
    state.watchers.add(watcher);
    return () => state.watchers.delete(watcher);
  }

  /** Object counts per resource type, for the admin API. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [key, state] of this.#types) counts[key] = state.objects.size;
    return counts;
  }
}
