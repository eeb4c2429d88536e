import express, { Request, Response } from 'express';
import { INITIAL_EVENTS_END_ANNOTATION } from '@internal/plugin-omnivision-common';
import { KubeApiError, WatchEvent, WatchStart } from './ObjectStore';
import {
  RESOURCE_TYPES,
  ResourceType,
  apiVersionOf,
  findResourceType,
} from './resources';
import { SelectorError } from './selectors';
import {
  Representation,
  countedEndpoint,
  listTypeOf,
  negotiateRepresentation,
  represent,
} from './representations';
import type { SimulatedCluster } from './SimulatedCluster';
import type { RequestStats } from '../RequestStats';
import type { ClusterAuthenticator } from '../cloud/ClusterAuthenticator';
import { MERGE_PATCH, PATCHABLE_KINDS, patchedObject } from './mergePatch';
import {
  ListQuery,
  readListQuery,
  validateListQuery,
  withWatchListDefaults,
} from './listOptions';
import { WatchEventStream } from './WatchEventStream';

export interface KubeApiRouterOptions {
  clusters: Map<string, SimulatedCluster>;
  stats: RequestStats;
  /** Who a bearer token is: a cloud identity, a static token, or nobody. */
  authenticator: ClusterAuthenticator;
  /** How often open watches with allowWatchBookmarks get a BOOKMARK event. */
  bookmarkIntervalMs?: number;
  /** How long a watch without timeoutSeconds stays open. */
  defaultWatchTimeoutSeconds?: number;
}

/** How long a watch list waits for the version it asks for (the watch cache's 3 s). */
const TOO_LARGE_VERSION_WAIT_MS = 3_000;

/** Resolves once the cluster's store has reached `resourceVersion`, or after `timeoutMs`. */
async function reachedVersion(
  cluster: SimulatedCluster,
  resourceVersion: number,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (
    Number(cluster.store.resourceVersion) < resourceVersion &&
    Date.now() < deadline
  ) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

function status(
  res: Response,
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
) {
  res.status(code).json({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

function resourceList(groupVersion: string) {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: RESOURCE_TYPES.filter(t => apiVersionOf(t) === groupVersion).map(
      t => ({
        name: t.plural,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: PATCHABLE_KINDS.has(t.kind)
          ? ['get', 'list', 'watch', 'patch']
          : ['get', 'list', 'watch'],
        ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      }),
    ),
  };
}

function groupList() {
  const groups = new Map<string, string[]>();
  for (const t of RESOURCE_TYPES) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map(v => ({
        groupVersion: `${name}/${v}`,
        version: v,
      })),
      preferredVersion: {
        groupVersion: `${name}/${versions[0]}`,
        version: versions[0],
      },
    })),
  };
}

interface ResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
  /** `status`, for the status subresource of a named object. */
  subresource?: 'status';
}

/** Resolves `/api/v1/...` or `/apis/<group>/<version>/...` to a resource, namespace and name. */
function parseResourcePath(segments: string[]): ResourcePath | undefined {
  let group = '';
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 3 && rest[2] !== 'status') return undefined;
  if (rest.length < 1 || rest.length > 3) return undefined;
  const type = findResourceType(group, version, rest[0]);
  if (!type) return undefined;
  if (namespace && !type.namespaced) return undefined;
  return {
    type,
    namespace,
    name: rest[1],
    ...(rest[2] === 'status' ? { subresource: 'status' as const } : {}),
  };
}

function endpointPattern(path: ResourcePath): string {
  const base = path.type.group
    ? `/apis/${path.type.group}/${path.type.version}`
    : `/api/${path.type.version}`;
  return `${base}${path.namespace ? '/namespaces/{namespace}' : ''}/${
    path.type.plural
  }${path.name ? '/{name}' : ''}${
    path.subresource ? `/${path.subresource}` : ''
  }`;
}

/** The request's body, up to 1 MiB (the API server's limit is larger; patches are small). */
function readBody(req: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1024 * 1024) {
        reject(
          new KubeApiError(413, 'RequestEntityTooLarge', 'request too large'),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The Kubernetes API servers of the simulated fleet, one under `/k8s/<cluster>/`: discovery,
 * get, list (selectors, limit/continue) and watch (JSON lines, bookmarks, 410 Expired, watch
 * lists with sendInitialEvents), list options validated as the API server does (422 Invalid),
 * bearer-token auth (the cluster's cloud identity or its static token) and Status error bodies.
 */
export function createKubeApiRouter(
  options: KubeApiRouterOptions,
): express.Router {
  const { clusters, stats } = options;
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 15_000;
  const defaultWatchTimeoutSeconds = options.defaultWatchTimeoutSeconds ?? 300;
  const router = express.Router();

  router.use('/:cluster', async (req: Request, res: Response) => {
    const cluster = clusters.get(req.params.cluster);
    if (!cluster) {
      status(
        res,
        404,
        'NotFound',
        `no cluster named ${JSON.stringify(req.params.cluster)} in the sandbox`,
      );
      return;
    }
    const segments = req.path.split('/').filter(Boolean);
    const resourcePath = parseResourcePath(segments);

    const fault = cluster.fault;
    if (fault?.mode === 'down') {
      // As an unreachable server would: the connection ends without an answer.
      req.socket.destroy();
      return;
    }
    if (fault?.mode === 'hang') {
      cluster.trackSocket(req.socket);
      return;
    }
    if (fault?.mode === 'latency') {
      await new Promise(resolve => setTimeout(resolve, fault.latencyMs));
    }

    const auth = req.header('authorization') ?? '';
    const token = auth.startsWith('Bearer ')
      ? auth.slice('Bearer '.length)
      : '';
    const listQuery = withWatchListDefaults(
      readListQuery(req.query as Record<string, unknown>),
    );
    const isWatch = listQuery.watch;
    let verb = 'LIST';
    if (!resourcePath) verb = 'DISCOVERY';
    else if (req.method === 'PATCH') verb = 'PATCH';
    else if (resourcePath.name) verb = 'GET';
    // A watch list (its initial events, then the changes) fills a cache as a LIST does: counted apart.
    else if (isWatch)
      verb = listQuery.sendInitialEvents ? 'WATCHLIST' : 'WATCH';
    // What to answer with (the objects, or their metadata only), negotiated from `Accept`.
    let representation: Representation | undefined;
    let refusal: KubeApiError | undefined;
    if (resourcePath) {
      try {
        representation = negotiateRepresentation(req.header('accept'), {
          type: resourcePath.type,
          list: !resourcePath.name,
          watch: isWatch,
        });
      } catch (error) {
        refusal = error as KubeApiError;
      }
    }
    const principal = await options.authenticator.authenticate(cluster, token);
    stats.record(`k8s/${cluster.name}`, {
      tokenLabel: principal.label,
      endpoint: resourcePath
        ? countedEndpoint(
            endpointPattern(resourcePath),
            representation,
            req.header('accept'),
          )
        : req.path,
      verb,
    });

    if (!principal.authenticated) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (
      fault?.mode === 'status' &&
      (!fault.resource || fault.resource === resourcePath?.type.plural)
    ) {
      if (fault.status === 429) res.setHeader('Retry-After', '1');
      status(
        res,
        fault.status,
        REASON_BY_CODE[fault.status] ?? 'InternalError',
        `injected fault: HTTP ${fault.status}`,
      );
      return;
    }
    if (
      req.method === 'PATCH' &&
      resourcePath?.name &&
      PATCHABLE_KINDS.has(resourcePath.type.kind)
    ) {
      await servePatch(req, res, cluster, resourcePath);
      return;
    }
    if (req.method !== 'GET') {
      status(
        res,
        405,
        'MethodNotAllowed',
        `the sandbox's API servers are read-only (${req.method} ${req.path})`,
      );
      return;
    }

    const p = req.path.replace(/\/+$/, '');
    if (p === '/version') {
      const [major, minor] = cluster.spec.kubernetesVersion
        .replace(/^v/, '')
        .split('.');
      res.json({
        major,
        minor,
        gitVersion: cluster.spec.kubernetesVersion,
        platform: 'linux/amd64',
      });
      return;
    }
    if (p === '/api') {
      res.json({
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [],
      });
      return;
    }
    if (p === '/apis') {
      res.json(groupList());
      return;
    }
    if (p === '/api/v1') {
      res.json(resourceList('v1'));
      return;
    }
    if (segments[0] === 'apis' && segments.length === 3 && !resourcePath) {
      const list = resourceList(`${segments[1]}/${segments[2]}`);
      if (list.resources.length > 0) {
        res.json(list);
        return;
      }
    }
    if (!resourcePath) {
      status(
        res,
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
      return;
    }

    const { type, namespace, name } = resourcePath;
    const q = listQuery;
    try {
      // The API server validates list options before it negotiates what to answer with.
      if (!name) validateListQuery(q);
      if (!representation) {
        const e = refusal!;
        status(res, e.code, e.reason, e.message);
        return;
      }
      if (name) {
        const object = cluster.store.get(type, namespace, name);
        if (!object) {
          status(
            res,
            404,
            'NotFound',
            `${type.plural}${
              type.group ? `.${type.group}` : ''
            } "${name}" not found`,
            {
              name,
              group: type.group,
              kind: type.plural,
            },
          );
          return;
        }
        res.json(represent(object, representation));
        return;
      }
      if (isWatch) {
        await serveWatch(req, res, cluster, type, namespace, q, representation);
        return;
      }
      const limit = q.limit === undefined ? undefined : Number(q.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
        status(
          res,
          400,
          'BadRequest',
          `invalid limit: ${JSON.stringify(q.limit)}`,
        );
        return;
      }
      const result = cluster.store.list(type, {
        namespace,
        labelSelector: q.labelSelector,
        fieldSelector: q.fieldSelector,
        limit,
        continue: q.continue,
      });
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          ...listTypeOf(type, apiVersionOf(type), representation),
          metadata: {
            resourceVersion: result.resourceVersion,
            ...(result.continue && { continue: result.continue }),
            ...(result.remainingItemCount !== undefined && {
              remainingItemCount: result.remainingItemCount,
            }),
          },
          items: result.items.map(item => represent(item, representation)),
        }),
      );
    } catch (error) {
      if (error instanceof KubeApiError) {
        status(res, error.code, error.reason, error.message, error.details);
      } else if (error instanceof SelectorError) {
        status(res, 400, 'BadRequest', error.message);
      } else {
        status(res, 500, 'InternalError', String(error));
      }
    }
  });

  /**
   * A JSON merge patch of an object or its status subresource, as the API server applies it:
   * `415` for another patch type, `404` for an object that is not there, `400` for a body that is
   * not a JSON object, `422` for a field of the wrong type; else the patched object.
   */
  async function servePatch(
    req: Request,
    res: Response,
    cluster: SimulatedCluster,
    path: ResourcePath,
  ) {
    const { type, namespace, name, subresource } = path;
    try {
      const contentType = (req.header('content-type') ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      if (contentType !== MERGE_PATCH) {
        throw new KubeApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: ${MERGE_PATCH}`,
        );
      }
      const text = await readBody(req);
      const existing = cluster.store.get(type, namespace, name!);
      if (!existing) {
        throw new KubeApiError(
          404,
          'NotFound',
          `${type.plural}.${type.group} "${name}" not found`,
          { name, group: type.group, kind: type.plural },
        );
      }
      let patch: unknown;
      try {
        patch = JSON.parse(text);
      } catch (error) {
        throw new KubeApiError(
          400,
          'BadRequest',
          `error decoding patch: ${(error as Error).message}`,
        );
      }
      const patched = patchedObject(type, existing, patch, subresource);
      res.json(cluster.store.apply(patched));
    } catch (error) {
      if (error instanceof KubeApiError) {
        status(res, error.code, error.reason, error.message, error.details);
      } else {
        status(res, 500, 'InternalError', String(error));
      }
    }
  }

  /**
   * A watch as JSON lines: its initial events (the current state for a watch list, or the events
   * after its resourceVersion), then, for a watch list with bookmarks allowed, the BOOKMARK at the
   * state's version annotated `k8s.io/initial-events-end`, then the live events and the periodic
   * bookmarks, until `timeoutSeconds`. A watch list from a version the store has not reached waits
   * for it up to 3 s, as the API server's watch cache does; a version too old, or one still too
   * new, is a single ERROR event carrying the Status.
   */
  async function serveWatch(
    req: Request,
    res: Response,
    cluster: SimulatedCluster,
    type: ResourceType,
    namespace: string | undefined,
    q: ListQuery,
    representation: Representation,
  ) {
    const line = (event: { type: string; object: unknown }) =>
      `${JSON.stringify(event)}\n`;
    const eventLine = (event: WatchEvent) =>
      line({
        type: event.type,
        object: represent(event.object, representation),
      });
    const bookmarkLine = (
      resourceVersion: string,
      annotations?: Record<string, string>,
    ) =>
      line({
        type: 'BOOKMARK',
        object: represent(
          {
            kind: type.kind,
            apiVersion: apiVersionOf(type),
            metadata: { resourceVersion, ...(annotations && { annotations }) },
          },
          representation,
        ),
      });

    const minimumVersion = Number(q.resourceVersion);
    if (q.sendInitialEvents && minimumVersion > 0) {
      await reachedVersion(cluster, minimumVersion, TOO_LARGE_VERSION_WAIT_MS);
      // The client may have gone meanwhile: then there is no one to watch for.
      if (req.socket.destroyed) return;
    }
    const stream = WatchEventStream.create(res);
    let start: WatchStart;
    try {
      start = cluster.store.watch(
        type,
        {
          namespace,
          labelSelector: q.labelSelector,
          fieldSelector: q.fieldSelector,
          resourceVersion: q.resourceVersion,
          sendInitialEvents: q.sendInitialEvents,
        },
        event => stream.send(eventLine(event)),
      );
    } catch (error) {
      if (
        error instanceof KubeApiError &&
        (error.code === 410 || error.code === 504)
      ) {
        // As the API server does: a 200 stream with one ERROR event carrying the Status, then the end.
        res.status(200).setHeader('Content-Type', 'application/json');
        res.end(
          line({
            type: 'ERROR',
            object: {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Failure',
              message: error.message,
              reason: error.reason,
              ...(error.details ? { details: error.details } : {}),
              code: error.code,
            },
          }),
        );
        return;
      }
      throw error;
    }
    cluster.trackSocket(req.socket);
    res.status(200);
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Transfer-Encoding', 'chunked');
    res.flushHeaders();
    const endsWithBookmark = q.sendInitialEvents && q.allowWatchBookmarks;
    stream.start(
      (function* initialLines() {
        for (const event of start.initial) yield eventLine(event);
        if (endsWithBookmark) {
          yield bookmarkLine(start.resourceVersion, {
            [INITIAL_EVENTS_END_ANNOTATION]: 'true',
          });
        }
      })(),
    );

    const timers: NodeJS.Timeout[] = [];
    if (q.allowWatchBookmarks) {
      timers.push(
        setInterval(() => {
          stream.send(bookmarkLine(cluster.store.resourceVersion));
        }, bookmarkIntervalMs),
      );
    }
    const timeoutSeconds = q.timeoutSeconds
      ? Number(q.timeoutSeconds)
      : defaultWatchTimeoutSeconds;
    const cleanup = () => {
      start.stop();
      stream.close();
      timers.forEach(t => clearTimeout(t));
    };
    timers.push(
      setTimeout(() => {
        cleanup();
        res.end();
      }, Math.max(0, timeoutSeconds) * 1000),
    );
    res.once('close', cleanup);
    res.once('finish', cleanup);
    // A client gone before the watch began gets no 'close' any more.
    if (req.socket.destroyed) cleanup();
  }

  return router;
}
