import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { eventually } from '@internal/sandbox/testUtils';
import { ClusterConnection } from './ClusterConnection';
import { ClusterCredentials } from './ClusterCredentials';
import { INITIAL_EVENTS_END_ANNOTATION } from '@internal/plugin-omnivision-common';
import { ResourceCache } from './ResourceCache';

/** How the fake API server answers a watch with `sendInitialEvents=true`. */
type WatchListMode =
  /** As Kubernetes 1.32: the objects as ADDED, then the annotated bookmark. */
  | 'streams'
  /** As a server before the feature: 422 Invalid. */
  | 'refuses'
  /** As a server that ignores the parameter: the objects, then a plain bookmark. */
  | 'ignores'
  /** As a proxy that ignores it on a busy cluster: the objects, then a change. */
  | 'changes'
  /** Streams, but the connection drops before the bookmark. */
  | 'drops';

const pod = (name: string, resourceVersion: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'models', resourceVersion },
});

/**
 * A Kubernetes API server of one collection, `/api/v1/pods`, holding `count` pods at
 * resourceVersion 100: it lists in pages and watches as the real one does, and records each
 * request's query. `release` sends the bookmark ending the initial events (held until then when
 * `holdInitialEnd`); `send` streams an event to the open watches.
 */
async function fakeApiServer(
  mode: WatchListMode,
  count: number,
  options: { holdInitialEnd?: boolean } = {},
) {
  const objects = Array.from({ length: count }, (_, i) =>
    pod(`pod-${String(i).padStart(5, '0')}`, '100'),
  );
  const requests: URLSearchParams[] = [];
  const watches = new Set<http.ServerResponse>();
  const held: Array<() => void> = [];
  const line = (res: http.ServerResponse, event: object) =>
    res.write(`${JSON.stringify(event)}\n`);
  const bookmark = (annotated: boolean) => ({
    type: 'BOOKMARK',
    object: {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: {
        resourceVersion: '100',
        ...(annotated && {
          annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' },
        }),
      },
    },
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    requests.push(url.searchParams);
    const q = url.searchParams;
    if (url.pathname === '/version') {
      res.end(JSON.stringify({ gitVersion: 'v1.32.0' }));
      return;
    }
    if (q.get('watch') !== 'true') {
      const limit = Number(q.get('limit') ?? count);
      const start = Number(q.get('continue') ?? 0);
      const next = start + limit;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          kind: 'PodList',
          apiVersion: 'v1',
          metadata: {
            resourceVersion: '100',
            ...(next < count && { continue: String(next) }),
          },
          items: objects.slice(start, next),
        }),
      );
      return;
    }
    if (q.get('sendInitialEvents') === 'true' && mode === 'refuses') {
      res.statusCode = 422;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'Invalid',
          code: 422,
          message:
            'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
        }),
      );
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.flushHeaders();
    watches.add(res);
    res.on('close', () => watches.delete(res));
    if (q.get('sendInitialEvents') === 'true') {
      for (const object of objects) line(res, { type: 'ADDED', object });
      if (mode === 'drops') {
        res.end();
        return;
      }
      if (mode === 'changes') {
        line(res, { type: 'MODIFIED', object: pod('pod-00001', '101') });
      }
      const end = () => line(res, bookmark(mode === 'streams'));
      if (options.holdInitialEnd) held.push(end);
      else end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** The requests for the pods, without the probes. */
    lists: () => requests.filter(q => q.get('watch') !== 'true'),
    watches: () => requests.filter(q => q.get('watch') === 'true'),
    release: () => held.splice(0).forEach(end => end()),
    send: (event: object) => watches.forEach(res => line(res, event)),
    stop: () =>
      new Promise<void>(resolve => {
        watches.forEach(res => res.destroy());
        server.close(() => resolve());
      }),
  };
}

function startCache(url: string) {
  const endpoint = {
    name: 'fake',
    url,
    // Plain HTTP, which client-node allows only so.
    skipTLSVerify: true,
    authMetadata: {
      'kubernetes.io/auth-provider': 'serviceAccount',
      serviceAccountToken: 'token',
    },
  };
  const connection = ClusterConnection.create(
    endpoint,
    ClusterCredentials.create({
      endpoint,
      strategies: {
        serviceAccount: {
          getCredential: async () => ({ type: 'bearer token', token: 'token' }),
        } as any,
      },
    }),
  );
  const cache = ResourceCache.create<string>({
    connection,
    resource: {
      plural: 'pods',
      path: '/api/v1/pods',
      summarize: (object: any) => object.metadata.name,
    },
    logger: mockServices.logger.mock(),
    timings: { pageSize: 400, minBackoffMs: 20, maxBackoffMs: 50 },
  });
  cache.start();
  return cache;
}

describe('ResourceCache', () => {
  let server: Awaited<ReturnType<typeof fakeApiServer>> | undefined;
  let cache: ResourceCache<string> | undefined;
  afterEach(async () => {
    cache?.stop();
    await server?.stop();
  });

  it('fills itself from a streaming watch list, whole at the bookmark that ends the initial events, without a LIST', async () => {
    server = await fakeApiServer('streams', 1_000, { holdInitialEnd: true });
    cache = startCache(server.url);
    await eventually(() => server!.watches().length === 1);
    const [watch] = server.watches();
    expect(watch.get('sendInitialEvents')).toBe('true');
    expect(watch.get('resourceVersionMatch')).toBe('NotOlderThan');
    expect(watch.get('allowWatchBookmarks')).toBe('true');
    expect(watch.has('resourceVersion')).toBe(false);
    // The initial events are under way: nobody reads a part of them.
    await new Promise(r => setTimeout(r, 100));
    expect(cache.filled).toBe(false);
    expect(cache.items()).toEqual([]);

    server.release();
    await eventually(() => cache!.filled);
    expect(cache.items()).toHaveLength(1_000);
    expect(cache.state).toBe('synced');

    // The same watch goes on with the changes.
    server.send({ type: 'ADDED', object: pod('pod-new', '101') });
    server.send({ type: 'DELETED', object: pod('pod-00000', '102') });
    await eventually(() => cache!.items().includes('pod-new'));
    expect(cache.items()).toHaveLength(1_000);
    expect(cache.items()).not.toContain('pod-00000');
    expect(server.lists()).toEqual([]);
  });

  it('lists in pages when the server refuses sendInitialEvents (422), and does not ask again', async () => {
    server = await fakeApiServer('refuses', 1_000);
    cache = startCache(server.url);
    await eventually(() => cache!.filled);
    expect(cache.items()).toHaveLength(1_000);
    expect(server.lists().map(q => q.get('limit'))).toEqual([
      '400',
      '400',
      '400',
    ]);
    await eventually(() => server!.watches().length === 2);
    const [streaming, resumed] = server.watches();
    expect(streaming.get('sendInitialEvents')).toBe('true');
    expect(resumed.get('resourceVersion')).toBe('100');
    expect(resumed.has('sendInitialEvents')).toBe(false);

    // A 410 Gone asks for a new list: the server that refused is not asked to stream again.
    server.send({
      type: 'ERROR',
      object: {
        kind: 'Status',
        code: 410,
        reason: 'Expired',
        message: 'too old',
      },
    });
    await eventually(() => server!.lists().length === 6);
    expect(
      server.watches().filter(q => q.get('sendInitialEvents') === 'true'),
    ).toHaveLength(1);
  });

  it('lists in pages when the server ignores sendInitialEvents (a bookmark without the annotation)', async () => {
    server = await fakeApiServer('ignores', 500);
    cache = startCache(server.url);
    await eventually(() => cache!.filled);
    expect(cache.items()).toHaveLength(500);
    expect(server.lists().length).toBeGreaterThan(0);
  });

  it('lists in pages when a change comes among the initial events (a server or proxy that ignores sendInitialEvents)', async () => {
    server = await fakeApiServer('changes', 500);
    cache = startCache(server.url);
    await eventually(() => cache!.filled);
    expect(cache.items()).toHaveLength(500);
    expect(server.lists().length).toBeGreaterThan(0);
  });

  it('lists in pages after a watch list that ends before its initial events did', async () => {
    server = await fakeApiServer('drops', 500);
    cache = startCache(server.url);
    await eventually(() => cache!.filled);
    expect(cache.items()).toHaveLength(500);
    expect(server.lists().map(q => q.get('limit'))).toEqual(['400', '400']);
    expect(
      server.watches().filter(q => q.get('sendInitialEvents') === 'true'),
    ).toHaveLength(1);
  });

  it('counts an event that leaves the summary as it was as no change', async () => {
    server = await fakeApiServer('streams', 10);
    cache = startCache(server.url);
    await eventually(() => cache!.filled);
    const version = cache.version;
    // A new resourceVersion only (a status write of nothing the cache keeps).
    server.send({ type: 'MODIFIED', object: pod('pod-00003', '150') });
    server.send({ type: 'ADDED', object: pod('pod-new', '151') });
    await eventually(() => cache!.items().includes('pod-new'));
    expect(cache.version).toBe(version + 1);
  });
});
