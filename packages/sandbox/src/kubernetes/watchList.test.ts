import { Watch } from '@kubernetes/client-node';
import { INITIAL_EVENTS_END_ANNOTATION } from '@internal/plugin-omnivision-common';
import { startTestSandbox } from '../testing/startTestSandbox';
import { clusterKubeConfig } from '../testing/clusterKubeConfig';
import { pod } from './objects/pods';
import { resourceTypeOfKind } from './resources';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;
interface Event {
  type: string;
  object: any;
}

const PODS = resourceTypeOfKind('Pod');
const WATCH_LIST =
  'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true';
const AS_METADATA =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const isEndBookmark = (e: Event) =>
  e.type === 'BOOKMARK' &&
  e.object.metadata.annotations?.[INITIAL_EVENTS_END_ANNOTATION] === 'true';
const rvOf = (e: Event) => Number(e.object.metadata.resourceVersion);

/**
 * Reads a watch's JSON lines until `done` holds for the events so far (or the stream ends),
 * calling `onChunk` after each chunk read; then stops reading.
 */
async function readEvents(
  res: Response,
  done: (events: Event[]) => boolean,
  onChunk: (events: Event[]) => void = () => {},
): Promise<Event[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: Event[] = [];
  let buffered = '';
  while (!done(events)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffered += value;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    events.push(...lines.map(line => JSON.parse(line)));
    onChunk(events);
  }
  await reader.cancel();
  return events;
}

describe('watch lists (sendInitialEvents=true), as Kubernetes 1.32 serves them', () => {
  let t: TestSandbox;
  let c: { name: string; url: string; token: string; caData: string };
  const get = (path: string, headers: Record<string, string> = {}) =>
    t.kubeFetch(`${c.url}${path}`, {
      headers: { authorization: `Bearer ${c.token}`, ...headers },
    });

  beforeAll(async () => {
    // No sync loop of its own (the scale endpoint still settles it): nothing but the tests
    // changes the clusters.
    t = await startTestSandbox({ sync: { intervalMs: 3_600_000 } });
    c = (await t.admin('GET', '/endpoints')).clusters[0];
  });
  afterAll(() => t.stop());

  it('sends every object as ADDED, then the bookmark that ends them at their version, then live changes', async () => {
    const before = await (await get('/api/v1/namespaces')).json();
    const res = await get(`/api/v1/namespaces?${WATCH_LIST}`);
    expect(res.status).toBe(200);
    let changed = false;
    const events = await readEvents(
      res,
      all => all.some(e => e.type === 'MODIFIED'),
      all => {
        if (!changed && all.some(isEndBookmark)) {
          changed = true;
          void t.admin('POST', `/clusters/${c.name}/compliance`, {
            break: 'pod-security',
          });
        }
      },
    );
    await t.admin(
      'DELETE',
      `/clusters/${c.name}/compliance?break=pod-security`,
    );
    const end = events.findIndex(isEndBookmark);
    const initial = events.slice(0, end);
    expect(initial.every(e => e.type === 'ADDED')).toBe(true);
    expect(initial.map(e => e.object.metadata.name).sort()).toEqual(
      before.items.map((n: any) => n.metadata.name).sort(),
    );
    const bookmark = events[end];
    expect(bookmark.object).toEqual({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: {
        resourceVersion: expect.any(String),
        annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' },
      },
    });
    // The bookmark's version is the list's: as new as every object sent, and no older than a
    // list made before the watch.
    expect(rvOf(bookmark)).toBeGreaterThanOrEqual(
      Math.max(...initial.map(rvOf)),
    );
    expect(rvOf(bookmark)).toBeGreaterThanOrEqual(
      Number(before.metadata.resourceVersion),
    );
    const modified = events.slice(end + 1).find(e => e.type === 'MODIFIED')!;
    expect(modified.object.metadata.name).toBe('omnivision-models');
    expect(rvOf(modified)).toBeGreaterThan(rvOf(bookmark));
  });

  it('streams a large initial state in order, and delivers what changes meanwhile after it, in order', async () => {
    const cluster = t.sandbox.fleet.get(c.name)!;
    await t.admin('POST', `/clusters/${c.name}/scale`, {
      nodes: 24,
      pods: 30_000,
    });
    const pods = cluster.store.list(PODS).items;
    const res = await get(`/api/v1/pods?${WATCH_LIST}`);
    let seenAtChange = -1;
    const events = await readEvents(
      res,
      all => all.some(e => e.type === 'DELETED'),
      all => {
        // Mid-stream (the server waits for the client to read on): a pod comes, another goes.
        if (seenAtChange < 0) {
          seenAtChange = all.length;
          cluster.store.create(
            pod({
              name: 'a-live-pod',
              namespace: 'omnivision',
              labels: { app: 'live' },
              image: 'registry.example/live:1',
            }),
          );
          cluster.store.delete(PODS, 'omnivision', pods[0].metadata.name);
        }
      },
    );
    const end = events.findIndex(isEndBookmark);
    expect(seenAtChange).toBeGreaterThan(0);
    expect(seenAtChange).toBeLessThan(end);
    // Every pod of the state the watch started from, sorted as a list is, the deleted one too.
    expect(events.slice(0, end).map(e => e.object.metadata.name)).toEqual(
      pods.map(p => p.metadata.name),
    );
    const live = events.slice(end + 1).filter(e => e.type !== 'BOOKMARK');
    expect(live.map(e => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'ADDED a-live-pod',
      `DELETED ${pods[0].metadata.name}`,
    ]);
    expect(rvOf(live[0])).toBeGreaterThan(rvOf(events[end]));
  }, 60_000);

  it('serves the initial events and the bookmark as metadata only when asked', async () => {
    const res = await get(`/api/v1/secrets?${WATCH_LIST}`, {
      accept: AS_METADATA,
    });
    const events = await readEvents(res, all => all.some(isEndBookmark));
    expect(events.length).toBeGreaterThan(1);
    for (const e of events) {
      expect(e.object).toMatchObject({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
      });
      expect(e.object.data).toBeUndefined();
      expect(e.object.type).toBeUndefined();
    }
    expect(events.at(-1)!.object.metadata).toEqual({
      resourceVersion: expect.any(String),
      annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' },
    });
  });

  it('is what a client-node Watch asked for sendInitialEvents gets', async () => {
    const events: Event[] = [];
    let resolveEnd: () => void;
    const ended = new Promise<void>(resolve => {
      resolveEnd = resolve;
    });
    const controller = await new Watch(clusterKubeConfig(c)).watch(
      '/api/v1/nodes',
      {
        sendInitialEvents: true,
        resourceVersionMatch: 'NotOlderThan',
        allowWatchBookmarks: true,
      },
      (type, object) => {
        events.push({ type, object });
        if (isEndBookmark({ type, object })) resolveEnd();
      },
      () => {},
    );
    await ended;
    controller.abort();
    const initial = events.slice(0, events.findIndex(isEndBookmark));
    expect(initial.length).toBeGreaterThan(20);
    expect(new Set(initial.map(e => e.type))).toEqual(new Set(['ADDED']));
    expect(initial.map(e => e.object.kind)).toContain('Node');
  });

  it('serves the state of a watch list from a version, even one compacted away', async () => {
    await t.admin('POST', `/clusters/${c.name}/compact`);
    const res = await get(
      `/api/v1/namespaces?${WATCH_LIST}&resourceVersion=1&timeoutSeconds=1`,
    );
    const events = await readEvents(res, all => all.some(isEndBookmark));
    expect(events.filter(e => e.type === 'ADDED').length).toBeGreaterThan(5);
    expect(events.map(e => e.type)).not.toContain('ERROR');
  });

  it('answers a watch list from a version not reached yet, after 3 s, with an ERROR event: 504 ResourceVersionTooLarge', async () => {
    const res = await get(
      `/api/v1/namespaces?${WATCH_LIST}&resourceVersion=999999999`,
    );
    expect(res.status).toBe(200);
    const events = (await res.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(events.map(e => [e.type, e.object.kind, e.object.code])).toEqual([
      ['ERROR', 'Status', 504],
    ]);
    expect(events[0].object).toMatchObject({
      status: 'Failure',
      reason: 'Timeout',
      message: expect.stringMatching(
        /^Timeout: Too large resource version: 999999999, current: \d+$/,
      ),
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

  it('sends no initial events with sendInitialEvents=false: only what changes from the version on', async () => {
    const res = await get(
      '/api/v1/namespaces?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&timeoutSeconds=1',
    );
    expect((await res.text()).trim()).toBe('');
  });

  it('sends the initial events but no bookmark to end them when bookmarks are not allowed', async () => {
    const res = await get(
      '/api/v1/namespaces?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1',
    );
    expect(res.status).toBe(200);
    const types = (await res.text())
      .trim()
      .split('\n')
      .map(l => JSON.parse(l).type);
    expect(types.length).toBeGreaterThan(5);
    expect(new Set(types)).toEqual(new Set(['ADDED']));
  });

  it('ends the initial events of a plain watch from no version with the bookmark, as a 1.32 server defaults it', async () => {
    const res = await get(
      '/api/v1/namespaces?watch=true&allowWatchBookmarks=true',
    );
    const events = await readEvents(res, all => all.some(isEndBookmark));
    expect(events.slice(0, -1).every(e => e.type === 'ADDED')).toBe(true);
    expect(events.length).toBeGreaterThan(5);
  });

  it.each([
    [
      'a watch list without resourceVersionMatch',
      'watch=true&sendInitialEvents=true&allowWatchBookmarks=true',
      'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      [
        {
          reason: 'FieldValueForbidden',
          message:
            'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
          field: 'resourceVersionMatch',
        },
      ],
    ],
    [
      'a watch list with resourceVersionMatch=Exact',
      'watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=Exact&resourceVersion=5',
      '[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
      [
        {
          reason: 'FieldValueForbidden',
          message:
            'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
          field: 'resourceVersionMatch',
        },
        {
          reason: 'FieldValueNotSupported',
          message:
            'Unsupported value: "Exact": supported values: "NotOlderThan"',
          field: 'resourceVersionMatch',
        },
      ],
    ],
    [
      'a plain watch with resourceVersionMatch',
      'watch=true&resourceVersionMatch=NotOlderThan',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
      [
        {
          reason: 'FieldValueForbidden',
          message:
            'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
          field: 'resourceVersionMatch',
        },
      ],
    ],
    [
      'a list with sendInitialEvents',
      'sendInitialEvents=false',
      'sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
      [
        {
          reason: 'FieldValueForbidden',
          message: 'Forbidden: sendInitialEvents is forbidden for list',
          field: 'sendInitialEvents',
        },
      ],
    ],
    [
      'a list with resourceVersionMatch and no resourceVersion',
      'resourceVersionMatch=NotOlderThan',
      'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      [
        {
          reason: 'FieldValueForbidden',
          message:
            'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
          field: 'resourceVersionMatch',
        },
      ],
    ],
  ])(
    'answers 422 Invalid to %s, naming the field',
    async (_what, query, message, causes) => {
      const res = await get(`/api/v1/pods?${query}`);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `ListOptions.meta.k8s.io "" is invalid: ${message}`,
        reason: 'Invalid',
        details: { group: 'meta.k8s.io', kind: 'ListOptions', causes },
        code: 422,
      });
    },
  );
});
