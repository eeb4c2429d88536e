import { KubeApiError, ObjectStore, WatchEvent } from './ObjectStore';
import { KubeObject, resourceTypeOfKind } from './resources';
import { pod } from './objects/pods';

const PODS = resourceTypeOfKind('Pod');

function podNamed(namespace: string, name: string, app = 'web'): KubeObject {
  return pod({
    name,
    namespace,
    labels: { app },
    image: 'registry.example/web:1',
    nodeName: 'node-a',
  });
}

/** A store with `count` pods in `a` (app=web, every third app=batch), and 5 in `b`. */
function storeWithPods(count: number) {
  const store = ObjectStore.create();
  const objects: KubeObject[] = [];
  for (let i = 0; i < count; i++)
    objects.push(
      podNamed(
        'a',
        `pod-${String(i).padStart(6, '0')}`,
        i % 3 ? 'web' : 'batch',
      ),
    );
  for (let i = 0; i < 5; i++) objects.push(podNamed('b', `pod-${i}`));
  store.replaceAll(objects);
  return store;
}

/** What a call throws (undefined if it does not). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/** Every page of a list, as a client pages it with `limit` and `continue`. */
function allPages(
  store: ObjectStore,
  options: Parameters<ObjectStore['list']>[1],
) {
  const pages = [];
  let token = options?.continue;
  do {
    const page = store.list(PODS, { ...options, continue: token });
    pages.push(page);
    token = page.continue;
  } while (token);
  return pages;
}

describe('ObjectStore lists', () => {
  it('pages in key order with continue, counting the keys after each page', () => {
    const store = storeWithPods(1_000);
    const pages = allPages(store, { limit: 300 });
    expect(pages.map(p => p.items.length)).toEqual([300, 300, 300, 105]);
    expect(pages.map(p => p.remainingItemCount)).toEqual([
      705,
      405,
      105,
      undefined,
    ]);
    expect(pages[3].continue).toBeUndefined();
    const keys = pages.flatMap(p => p.items.map(keyOf));
    expect(keys).toEqual(store.all(PODS).map(keyOf).sort());
    // Every page of one list carries the version of its first page.
    expect(new Set(pages.map(p => p.resourceVersion)).size).toBe(1);
  });

  it('pages a namespace alone, counting only its keys', () => {
    const store = storeWithPods(1_000);
    const first = store.list(PODS, { namespace: 'b', limit: 2 });
    expect(first.items.map(keyOf)).toEqual(['b/pod-0', 'b/pod-1']);
    expect(first.remainingItemCount).toBe(3);
    const pages = allPages(store, { namespace: 'b', limit: 2 });
    expect(pages.flatMap(p => p.items.map(keyOf))).toEqual([
      'b/pod-0',
      'b/pod-1',
      'b/pod-2',
      'b/pod-3',
      'b/pod-4',
    ]);
    expect(store.list(PODS, { namespace: 'c' }).items).toEqual([]);
  });

  it('omits remainingItemCount with a label or field selector, and still pages', () => {
    const store = storeWithPods(1_000);
    const first = store.list(PODS, { labelSelector: 'app=batch', limit: 100 });
    expect(first.items).toHaveLength(100);
    expect(first.items.every(p => p.metadata.labels?.app === 'batch')).toBe(
      true,
    );
    expect(first.continue).toEqual(expect.any(String));
    expect(first).not.toHaveProperty('remainingItemCount');
    const byField = store.list(PODS, {
      fieldSelector: 'metadata.namespace=a',
      limit: 10,
    });
    expect(byField.continue).toEqual(expect.any(String));
    expect(byField).not.toHaveProperty('remainingItemCount');

    const pages = allPages(store, { labelSelector: 'app=batch', limit: 100 });
    expect(pages.flatMap(p => p.items)).toHaveLength(334);
    expect(pages.every(p => p.remainingItemCount === undefined)).toBe(true);
  });

  it('keeps the order as pods come and go between pages', () => {
    const store = storeWithPods(10);
    const first = store.list(PODS, { limit: 4 });
    store.create(podNamed('a', 'pod-000000a'));
    store.delete(PODS, 'a', 'pod-000009');
    store.create(podNamed('a', 'pod-000004a'));
    const rest = allPages(store, { limit: 4, continue: first.continue });
    expect(rest.flatMap(p => p.items.map(o => o.metadata.name))).toEqual([
      'pod-000004',
      'pod-000004a',
      'pod-000005',
      'pod-000006',
      'pod-000007',
      'pod-000008',
      'pod-0',
      'pod-1',
      'pod-2',
      'pod-3',
      'pod-4',
    ]);
    expect(rest[0].remainingItemCount).toBe(11 - 4);
  });

  it('answers 410 Expired to a continue token from before a compaction, 400 to a garbled one', () => {
    const store = storeWithPods(10);
    const first = store.list(PODS, { limit: 4 });
    store.create(podNamed('a', 'later'));
    store.compact();
    expect(
      thrown(() => store.list(PODS, { continue: first.continue })),
    ).toMatchObject({ code: 410, reason: 'Expired' });
    const garbled = thrown(() => store.list(PODS, { continue: '%%%' }));
    expect(garbled).toBeInstanceOf(KubeApiError);
    expect(garbled).toMatchObject({ code: 400 });
    expect(thrown(() => store.list(PODS, { continue: 'e30' }))).toMatchObject({
      code: 400,
      message: 'continue key is not valid',
    });
  });
});

describe('ObjectStore watches', () => {
  it('starts a watch list with the current state, sorted, at the version of that state', () => {
    const store = storeWithPods(20);
    const live: WatchEvent[] = [];
    const start = store.watch(
      PODS,
      { namespace: 'a', labelSelector: 'app=batch', sendInitialEvents: true },
      event => live.push(event),
    );
    expect(start.resourceVersion).toBe(store.resourceVersion);
    // The initial events are read later, from the snapshot taken when the watch started.
    store.delete(PODS, 'a', 'pod-000003');
    store.create(podNamed('a', 'pod-000000a', 'batch'));
    const initial = [...start.initial];
    expect(initial.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED pod-000000',
      'ADDED pod-000003',
      'ADDED pod-000006',
      'ADDED pod-000009',
      'ADDED pod-000012',
      'ADDED pod-000015',
      'ADDED pod-000018',
    ]);
    expect(live.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'DELETED pod-000003',
      'ADDED pod-000000a',
    ]);
    expect(
      live.every(
        e =>
          Number(e.object.metadata.resourceVersion) >
          Number(start.resourceVersion),
      ),
    ).toBe(true);
    start.stop();
  });

  it('starts with the current state even from a version that was compacted away', () => {
    const store = storeWithPods(3);
    store.compact();
    const start = store.watch(
      PODS,
      { resourceVersion: '1', sendInitialEvents: true },
      () => {},
    );
    expect([...start.initial]).toHaveLength(8);
  });

  it('refuses a watch list from a version the store has not reached with 504 ResourceVersionTooLarge', () => {
    const store = storeWithPods(3);
    const next = Number(store.resourceVersion) + 1;
    expect(
      thrown(() =>
        store.watch(
          PODS,
          { resourceVersion: String(next), sendInitialEvents: true },
          () => {},
        ),
      ),
    ).toMatchObject({
      code: 504,
      reason: 'Timeout',
      message: `Timeout: Too large resource version: ${next}, current: ${store.resourceVersion}`,
      details: {
        causes: [
          {
            reason: 'ResourceVersionTooLarge',
            message: 'Too large resource version',
          },
        ],
        retryAfterSeconds: 1,
      },
    });
  });

  it('without initial events starts from now, or replays the retained events after a version', () => {
    const store = storeWithPods(3);
    const before = store.resourceVersion;
    store.create(podNamed('a', 'later'));
    const fromNow = store.watch(PODS, { sendInitialEvents: false }, () => {});
    expect([...fromNow.initial]).toEqual([]);
    const fromBefore = store.watch(
      PODS,
      { resourceVersion: before, sendInitialEvents: false },
      () => {},
    );
    expect(
      [...fromBefore.initial].map(e => `${e.type} ${e.object.metadata.name}`),
    ).toEqual(['ADDED later']);
    // A watch from no version (or "0") that does not say starts with the state, as ever.
    const legacy = store.watch(PODS, { resourceVersion: '0' }, () => {});
    expect([...legacy.initial]).toHaveLength(9);
    store.compact();
    expect(
      thrown(() => store.watch(PODS, { resourceVersion: before }, () => {})),
    ).toMatchObject({ code: 410, reason: 'Expired' });
  });
});
