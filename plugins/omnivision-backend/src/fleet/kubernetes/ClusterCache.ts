import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AnalysisRunSummary,
  ApplicationSummary,
  ClusterHealth,
  ClusterSnapshot,
  ComplianceSnapshot,
  RolloutSummary,
} from '@internal/plugin-omnivision-common';
import type { ClusterAttributes, OmniVisionMetrics } from '../../metrics';
import {
  ClusterConnection,
  ClusterEndpoint,
  KubeApiError,
} from './ClusterConnection';
import type { ClusterCredentials } from './ClusterCredentials';
import { DEFAULT_CACHE_TIMINGS, ResourceCacheTimings } from './CachedResource';
import { ResourceCache, kubeFailureReason } from './ResourceCache';
import { FLEET_RESOURCES, FleetResourceName } from './fleetResources';

type Caches = {
  [K in FleetResourceName]: ResourceCache<
    ReturnType<(typeof FLEET_RESOURCES)[K]['summarize']>
  >;
};

/** Timings of a cluster's caches and probe. */
export interface ClusterCacheTimings extends ResourceCacheTimings {
  /** How often the API server is probed (`GET /version`). */
  probeIntervalMs: number;
  /** No contact for this long makes the figures stale. */
  staleAfterMs: number;
}

/** The timings of a cluster's caches and probe in production. */
export const DEFAULT_CLUSTER_TIMINGS: ClusterCacheTimings = {
  ...DEFAULT_CACHE_TIMINGS,
  probeIntervalMs: 10_000,
  staleAfterMs: 30_000,
};

/**
 * Everything the fleet knows of one cluster: a list+watch cache per resource kind, and a probe
 * of the API server (reachability, round trip, version). It never throws at its readers: an
 * unreachable cluster keeps its last good items, and its health says how old they are and why.
 */
export class ClusterCache {
  readonly caches: Caches;
  readonly #connection: ClusterConnection;
  readonly #timings: ClusterCacheTimings;
  readonly #logger: LoggerService;
  #lastContact: number | undefined;
  #reachable = false;
  #probeError: string | undefined = 'not contacted yet';
  #roundTripMs: number | undefined;
  #kubernetesVersion: string | undefined;
  #probeTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #metrics: OmniVisionMetrics | undefined;
  readonly #attributes: ClusterAttributes;
  #startedAt = Date.now();
  readonly #unobserve: Array<() => void> = [];

  static create(options: {
    endpoint: ClusterEndpoint;
    credentials: ClusterCredentials;
    logger: LoggerService;
    timings?: Partial<ClusterCacheTimings>;
    /** The cloud region the cluster serves, an attribute of its metrics. */
    region?: string;
    metrics?: OmniVisionMetrics;
  }): ClusterCache {
    return new ClusterCache(options);
  }

  private constructor(options: {
    endpoint: ClusterEndpoint;
    credentials: ClusterCredentials;
    logger: LoggerService;
    timings?: Partial<ClusterCacheTimings>;
    region?: string;
    metrics?: OmniVisionMetrics;
  }) {
    this.#timings = { ...DEFAULT_CLUSTER_TIMINGS, ...options.timings };
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#attributes = {
      cluster: options.endpoint.name,
      region: options.region ?? 'unknown',
    };
    this.#connection = ClusterConnection.create(
      options.endpoint,
      options.credentials,
    );
    const onContact = () => {
      this.#lastContact = Date.now();
    };
    const caches: Record<string, ResourceCache<unknown>> = {};
    for (const [name, resource] of Object.entries(FLEET_RESOURCES)) {
      caches[name] = ResourceCache.create<unknown>({
        connection: this.#connection,
        resource: resource as any,
        logger: options.logger,
        timings: this.#timings,
        onContact,
        onFailure: ({ operation, error }) =>
          this.#countError(operation, resource.plural, error),
      });
    }
    this.caches = caches as Caches;
  }

  get name(): string {
    return this.#connection.endpoint.name;
  }

  start(): void {
    this.#startedAt = Date.now();
    for (const cache of Object.values(this.caches)) cache.start();
    this.#observe();
    void this.#probe();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#probeTimer);
    for (const cache of Object.values(this.caches)) cache.stop();
    for (const unobserve of this.#unobserve.splice(0)) unobserve();
  }

  /** Seconds since the cluster was last heard from (since the start, before any contact). */
  staleSeconds(now = Date.now()): number {
    return Math.max(0, (now - (this.#lastContact ?? this.#startedAt)) / 1000);
  }

  /** Reports the cluster's and each resource cache's staleness at each metrics collection. */
  #observe() {
    if (!this.#metrics) return;
    this.#unobserve.push(
      this.#metrics.observeClusterStaleness(() => [
        { attributes: this.#attributes, seconds: this.staleSeconds() },
      ]),
      this.#metrics.observeCacheStaleness(() =>
        Object.values(this.caches).flatMap(cache => {
          const seconds = cache.staleSeconds();
          return seconds === undefined
            ? []
            : [
                {
                  attributes: { ...this.#attributes, resource: cache.plural },
                  seconds,
                },
              ];
        }),
      ),
    );
  }

  #countError(
    operation: 'list' | 'watch' | 'probe',
    resource: string,
    error: unknown,
  ) {
    const e =
      error instanceof KubeApiError ? error : new KubeApiError(String(error));
    this.#metrics?.fleetCacheErrors.add(1, {
      ...this.#attributes,
      operation,
      resource,
      reason: kubeFailureReason(e),
    });
  }

  async #probe() {
    const started = Date.now();
    try {
      const version = await this.#connection.get<{ gitVersion?: string }>(
        '/version',
        {},
        Math.min(this.#timings.requestTimeoutMs, this.#timings.probeIntervalMs),
      );
      this.#lastContact = Date.now();
      this.#roundTripMs = this.#lastContact - started;
      this.#kubernetesVersion = version.gitVersion;
      this.#reachable = true;
      this.#probeError = undefined;
    } catch (error) {
      this.#countError('probe', 'version', error);
      const message = (error as Error).message;
      if (this.#reachable || this.#probeError !== message) {
        this.#logger.warn(`${this.name} is unreachable: ${message}`);
      }
      this.#reachable = false;
      this.#probeError = message;
    }
    if (!this.#stopped)
      this.#probeTimer = setTimeout(
        () => void this.#probe(),
        this.#timings.probeIntervalMs,
      );
  }

  health(now = Date.now()): ClusterHealth {
    const caches = Object.values(this.caches);
    const resourceErrors = caches
      .filter(c => c.error && c.state !== 'synced')
      .map(c => ({ resource: c.plural, error: c.error! }));
    const synced = caches.every(c => c.filled || c.state === 'unavailable');
    const current = caches.every(
      c => c.state === 'synced' || c.state === 'unavailable',
    );
    const age =
      this.#lastContact === undefined ? undefined : now - this.#lastContact;
    const recent = age !== undefined && age <= this.#timings.staleAfterMs;
    const error =
      this.#probeError ??
      (resourceErrors.length > 0 && !current
        ? resourceErrors.map(e => e.error).join('; ')
        : undefined);
    return {
      reachable: this.#reachable,
      synced,
      stale: !this.#reachable || !current || !recent,
      lastContact:
        this.#lastContact === undefined
          ? undefined
          : new Date(this.#lastContact).toISOString(),
      dataAgeSeconds: age === undefined ? undefined : Math.round(age / 1000),
      roundTripMs: this.#roundTripMs,
      kubernetesVersion: this.#kubernetesVersion,
      error,
      resourceErrors,
    };
  }

  /** The GPU and warm-pool slice of the cluster, from the caches. */
  snapshot(): ClusterSnapshot {
    return {
      nodes: this.caches.nodes.items(),
      pods: this.caches.pods.items(),
      scaleSchedules: this.caches.scaleSchedules.items(),
    };
  }

  /** The compliance slice: a kind never read, or not served, is `undefined` (unknown). */
  complianceSnapshot(cloud: 'aws' | 'gcp'): ComplianceSnapshot {
    const read = <T>(cache: ResourceCache<T>): T[] | undefined =>
      cache.filled ? cache.items() : undefined;
    const pods = read(this.caches.pods);
    const workloads = new Map<string, { namespace: string; name: string }>();
    for (const pod of pods ?? []) {
      const name = pod.serviceAccountName ?? 'default';
      workloads.set(`${pod.namespace}/${name}`, {
        namespace: pod.namespace,
        name,
      });
    }
    return {
      cloud,
      namespaces: read(this.caches.namespaces),
      peerAuthentications: read(this.caches.peerAuthentications),
      clusterPolicies: read(this.caches.clusterPolicies),
      policyReports: read(this.caches.policyReports),
      vulnerabilityReports: read(this.caches.vulnerabilityReports),
      serviceAccounts: read(this.caches.serviceAccounts),
      secrets: read(this.caches.secrets),
      workloadServiceAccounts: pods ? [...workloads.values()] : undefined,
    };
  }

  /**
   * The connection to the cluster's API server, and the deadline of its requests, for the few
   * writes the portal makes there (the control of a canary).
   */
  get writer(): { connection: ClusterConnection; timeoutMs: number } {
    return {
      connection: this.#connection,
      timeoutMs: this.#timings.requestTimeoutMs,
    };
  }

  rollouts(): RolloutSummary[] {
    return this.caches.rollouts.items();
  }

  applications(): ApplicationSummary[] {
    return this.caches.applications.items();
  }

  analysisRuns(): AnalysisRunSummary[] {
    return this.caches.analysisRuns.items();
  }
}
