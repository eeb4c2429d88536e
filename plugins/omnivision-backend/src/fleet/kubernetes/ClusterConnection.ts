import { KubeConfig, Watch } from '@kubernetes/client-node';
import fetch from 'node-fetch';

/** Where and how to reach one cluster's API server. */
export interface ClusterEndpoint {
  name: string;
  url: string;
  /** Service-account bearer token. */
  token?: string;
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
 * Every request has a deadline, so a hanging server never holds a caller.
 */
export class ClusterConnection {
  readonly #kubeConfig: KubeConfig;
  readonly #watch: Watch;

  static create(endpoint: ClusterEndpoint): ClusterConnection {
    return new ClusterConnection(endpoint);
  }

  private constructor(readonly endpoint: ClusterEndpoint) {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: endpoint.name,
          server: endpoint.url.replace(/\/+$/, ''),
          caData: endpoint.caData,
          skipTLSVerify: endpoint.skipTLSVerify ?? false,
        },
      ],
      users: [{ name: 'omnivision-portal', token: endpoint.token }],
      contexts: [
        { name: 'fleet', cluster: endpoint.name, user: 'omnivision-portal' },
      ],
      currentContext: 'fleet',
    });
    this.#kubeConfig = kc;
    this.#watch = new Watch(kc);
  }

  /** GETs a path of the API server and parses the JSON answer; throws `KubeApiError`. */
  async get<T>(
    path: string,
    query: Record<string, string | number | undefined>,
    timeoutMs: number,
  ): Promise<T> {
    const url = new URL(this.#kubeConfig.getCurrentCluster()!.server + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const init = await this.#kubeConfig.applyToFetchOptions({
      headers: { accept: 'application/json' },
    });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url.toString(), {
        ...init,
        method: 'GET',
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
      return JSON.parse(text) as T;
    } catch (error) {
      if (error instanceof KubeApiError) throw error;
      throw new KubeApiError(describeFailure(error));
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Opens a watch. Resolves once the server has answered with a stream, rejects when it refuses
   * or does not answer within `connectTimeoutMs`.
   */
  async watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (event: WatchEvent) => void,
    connectTimeoutMs: number,
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
    const opened = this.#watch.watch(
      path,
      query,
      (type, object) => {
        if (!abandoned) onEvent({ type: type as WatchEvent['type'], object });
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
