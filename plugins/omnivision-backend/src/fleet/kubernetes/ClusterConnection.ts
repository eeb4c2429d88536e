import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { AuthMetadata } from '@backstage/plugin-kubernetes-node';
import fetch from 'node-fetch';
import type { ClusterCredentials } from './ClusterCredentials';

/** Where one cluster's API server is, and how the fleet proves who it is to it. */
export interface ClusterEndpoint {
  name: string;
  url: string;
  /**
   * The cluster's auth metadata as Backstage's Kubernetes plugin reads it from config:
   * `kubernetes.io/auth-provider` and what that provider takes (`serviceAccountToken`,
   * `kubernetes.io/aws-assume-role`, ...).
   */
  authMetadata: AuthMetadata;
  /** PEM bundle of the API server's CA, base64-encoded as in a kubeconfig. */
  caData?: string;
  skipTLSVerify?: boolean;
}

/** An error answer (or no answer) from a Kubernetes API server. */
export class KubeApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status code, or the `code` of a `Status` object; absent when nothing answered. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  /** The resourceVersion asked for is older than the server keeps (`410 Gone`/`Expired`). */
  get expired(): boolean {
    return this.statusCode === 410;
  }
}

/**
 * The metadata-only representation of objects, as the API server serves it (`Accept`): a list
 * as a `PartialObjectMetadataList`, a watch's objects as `PartialObjectMetadata`. Nothing but
 * each object's `metadata` crosses the wire: for Secrets, no value.
 */
export const METADATA_ONLY = {
  list: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
  watch: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
} as const;

/** The credential to present, or a `KubeApiError` saying why there is none. */
async function credentialFor(
  credentials: ClusterCredentials,
): Promise<string | undefined> {
  try {
    return await credentials.token();
  } catch (error) {
    throw new KubeApiError(
      `no credential for the cluster: ${(error as Error).message}`,
    );
  }
}

/**
 * The cluster's `KubeConfig` (its server and TLS settings) whose every request carries one
 * credential, `token`, so that a request refused with 401 is known to have gone out with it.
 * With `accept`, every request asks for that representation (client-node's `Watch` sets no
 * `Accept` of its own).
 */
class CredentialedKubeConfig extends KubeConfig {
  constructor(
    endpoint: ClusterEndpoint,
    private readonly token: string | undefined,
    private readonly accept?: string,
  ) {
    super();
    this.loadFromOptions({
      clusters: [
        {
          name: endpoint.name,
          server: endpoint.url.replace(/\/+$/, ''),
          caData: endpoint.caData,
          skipTLSVerify: endpoint.skipTLSVerify ?? false,
        },
      ],
      users: [{ name: 'omnivision-portal' }],
      contexts: [
        { name: 'fleet', cluster: endpoint.name, user: 'omnivision-portal' },
      ],
      currentContext: 'fleet',
    });
  }

  override async applyToFetchOptions(
    options: Parameters<KubeConfig['applyToFetchOptions']>[0],
  ) {
    const init = await super.applyToFetchOptions(options);
    const headers = init.headers as unknown as Headers;
    if (this.token) headers.set('authorization', `Bearer ${this.token}`);
    if (this.accept) headers.set('accept', this.accept);
    return init;
  }
}

/** One event of a watch, as the API server streams it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/**
 * An open watch: `ended` resolves when the server closes it or it is aborted, and rejects when
 * the connection fails.
 */
export interface OpenWatch {
  ended: Promise<void>;
  abort(): void;
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string; code?: string };
  if (e?.name === 'AbortError') return 'no answer in time';
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? error);
}

/**
 * Talks to one cluster's API server through `@kubernetes/client-node`: its `KubeConfig` carries
 * the credentials and TLS settings of every request, its `Watch` streams watch events.
 * Every request has a deadline, so a hanging server never holds a caller. A request the server
 * refuses with 401 is made once more with a new credential (an expired or revoked token).
 */
export class ClusterConnection {
  readonly #credentials: ClusterCredentials;

  static create(
    endpoint: ClusterEndpoint,
    credentials: ClusterCredentials,
  ): ClusterConnection {
    return new ClusterConnection(endpoint, credentials);
  }

  private constructor(
    readonly endpoint: ClusterEndpoint,
    credentials: ClusterCredentials,
  ) {
    this.#credentials = credentials;
  }

  /**
   * Runs a request with the current credential; when the server refuses it (401), drops it and
   * runs the request once more with a new one. Requests refused at once with the same token all
   * retry, and share the one new credential.
   */
  async #authorized<T>(request: (token: string | undefined) => Promise<T>) {
    const token = await credentialFor(this.#credentials);
    try {
      return await request(token);
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.statusCode !== 401) {
        throw error;
      }
      this.#credentials.refused(token);
      return request(await credentialFor(this.#credentials));
    }
  }

  /**
   * GETs a path of the API server and parses the JSON answer; throws `KubeApiError`. With
   * `metadataOnly`, asks for a `PartialObjectMetadataList` and refuses any other answer.
   */
  async get<T>(
    path: string,
    query: Record<string, string | number | undefined>,
    timeoutMs: number,
    options: { metadataOnly?: boolean } = {},
  ): Promise<T> {
    return this.#authorized(token =>
      this.#requestOnce<T>(token, path, query, timeoutMs, options),
    );
  }

  /**
   * PATCHes an object (or, with a path ending in `/status`, its status subresource) with a JSON
   * merge patch (`application/merge-patch+json`, RFC 7386), as Argo Rollouts' kubectl plugin
   * does; answers the patched object, throws `KubeApiError` with the server's message otherwise.
   */
  async patch<T>(path: string, patch: object, timeoutMs: number): Promise<T> {
    return this.#authorized(token =>
      this.#requestOnce<T>(
        token,
        path,
        {},
        timeoutMs,
        {},
        { method: 'PATCH', body: JSON.stringify(patch) },
      ),
    );
  }

  async #requestOnce<T>(
    token: string | undefined,
    path: string,
    query: Record<string, string | number | undefined>,
    timeoutMs: number,
    options: { metadataOnly?: boolean },
    write?: { method: 'PATCH'; body: string },
  ): Promise<T> {
    const kubeConfig = new CredentialedKubeConfig(this.endpoint, token);
    const url = new URL(kubeConfig.getCurrentCluster()!.server + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const init = await kubeConfig.applyToFetchOptions({
      headers: {
        accept: options.metadataOnly ? METADATA_ONLY.list : 'application/json',
        ...(write ? { 'content-type': 'application/merge-patch+json' } : {}),
      },
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url.toString(), {
        ...init,
        method: write?.method ?? 'GET',
        ...(write ? { body: write.body } : {}),
        signal: controller.signal as any,
      });
      const text = await response.text();
      if (!response.ok) {
        let message = `${response.status} ${response.statusText}`;
        try {
          const status = JSON.parse(text);
          if (status?.message) message = `${response.status} ${status.message}`;
        } catch {
          // not a Status object: keep the HTTP status line
        }
        throw new KubeApiError(message, response.status);
      }
      const body = JSON.parse(text);
      if (options.metadataOnly && body?.kind !== 'PartialObjectMetadataList') {
        // A server (or proxy) that ignored Accept: whatever it sent is dropped, not kept.
        throw new KubeApiError(
          `asked for metadata only, the server answered ${
            body?.kind ?? 'something else'
          }`,
        );
      }
      return body as T;
    } catch (error) {
      if (error instanceof KubeApiError) throw error;
      throw new KubeApiError(describeFailure(error));
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Opens a watch. Resolves once the server has answered with a stream, rejects when it refuses
   * or does not answer within `connectTimeoutMs`. With `metadataOnly`, the events' objects are
   * `PartialObjectMetadata`; an event carrying anything else ends the watch with an error.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (event: WatchEvent) => void,
    connectTimeoutMs: number,
    options: { metadataOnly?: boolean } = {},
  ): Promise<OpenWatch> {
    return this.#authorized(token =>
      this.#watchOnce(token, path, query, onEvent, connectTimeoutMs, options),
    );
  }

  async #watchOnce(
    token: string | undefined,
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (event: WatchEvent) => void,
    connectTimeoutMs: number,
    options: { metadataOnly?: boolean },
  ): Promise<OpenWatch> {
    let settle!: { resolve: () => void; reject: (e: Error) => void };
    const ended = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // The caller listens once the watch is open; a watch that fails to open is reported by
    // throwing, so its rejection must not count as unhandled.
    ended.catch(() => undefined);
    let abandoned = false;
    let failure: KubeApiError | undefined;
    const watcher = new Watch(
      new CredentialedKubeConfig(
        this.endpoint,
        token,
        options.metadataOnly ? METADATA_ONLY.watch : undefined,
      ),
    );
    const opened = watcher.watch(
      path,
      query,
      (type, object) => {
        if (abandoned) return;
        if (
          options.metadataOnly &&
          type !== 'ERROR' &&
          object?.kind !== 'PartialObjectMetadata'
        ) {
          onEvent({
            type: 'ERROR',
            object: {
              message: `asked for metadata only, the server sent a ${
                object?.kind ?? 'different'
              } object`,
            },
          });
          return;
        }
        onEvent({ type: type as WatchEvent['type'], object });
      },
      error => {
        if (abandoned) return;
        if (!error) {
          settle.resolve();
          return;
        }
        const statusCode = (error as { statusCode?: number }).statusCode;
        failure = new KubeApiError(
          statusCode
            ? `${statusCode} ${error.message}`
            : describeFailure(error),
          statusCode,
        );
        settle.reject(failure);
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new KubeApiError('no answer in time')),
        connectTimeoutMs,
      );
    });
    try {
      const controller = await Promise.race([opened, timeout]);
      // A refusal (an error status, a dropped connection) ends the watch before it opens.
      if (failure) throw failure;
      return {
        ended,
        abort: () => {
          abandoned = true;
          controller.abort();
          settle.resolve();
        },
      };
    } catch (error) {
      // A hanging attempt may still settle later: nothing it says is heard any more.
      abandoned = true;
      opened.then(c => c.abort()).catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
