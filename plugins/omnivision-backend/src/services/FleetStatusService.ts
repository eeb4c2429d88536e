import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterDetail,
  ClusterOverview,
  ClusterSnapshot,
  ClusterWarmPool,
  ComplianceStatus,
  FleetCompliance,
  FleetStatus,
  ModelDeploymentStatus,
  ModelDeployments,
  WarmPoolPolicy,
  computeClusterGpuStatus,
  computeCompliance,
  computeGpuNodeRows,
  computeModelDeployments,
  computeWarmPool,
  listPendingGpuPods,
} from '@internal/plugin-omnivision-common';
import type { FleetCluster } from './FleetConfig';
import type { DeclaredControlsReader } from './DeclaredControlsReader';
import { ClusterCache, ClusterCacheTimings } from './kubernetes/ClusterCache';

interface ComputedCluster {
  version: number;
  /** Computed from caches that were all filled: only such figures are worth reusing. */
  complete: boolean;
  computedAt: number;
  overview: ClusterOverview;
  compliance: ComplianceStatus;
  deployments: ModelDeploymentStatus[];
}

export interface FleetStatusServiceOptions {
  clusters: FleetCluster[];
  warmPool: WarmPoolPolicy;
  declaredControls: Pick<DeclaredControlsReader, 'get'>;
  logger: LoggerService;
  timings?: Partial<ClusterCacheTimings>;
  recomputeIntervalMs?: number;
}

/**
 * The fleet's status, answered from the clusters' watch caches: no request reaches an API
 * server. Each cluster is computed on its own (one that fails to compute, or cannot be reached,
 * never hides the others) and recomputed only when its caches changed, at most every
 * `recomputeIntervalMs`, so heavy traffic costs no more than a few computations a second.
 */
export class FleetStatusService {
  readonly #clusters: Array<{ config: FleetCluster; cache: ClusterCache }>;
  readonly #computed = new Map<string, ComputedCluster>();

  static create(options: FleetStatusServiceOptions): FleetStatusService {
    return new FleetStatusService(options);
  }

  private constructor(private readonly options: FleetStatusServiceOptions) {
    this.#clusters = options.clusters.map(config => ({
      config,
      cache: ClusterCache.create({
        endpoint: config.endpoint,
        logger: options.logger.child({ cluster: config.name }),
        timings: options.timings,
      }),
    }));
  }

  start(): void {
    for (const { cache } of this.#clusters) cache.start();
  }

  stop(): void {
    for (const { cache } of this.#clusters) cache.stop();
  }

  get clusterNames(): string[] {
    return this.#clusters.map(c => c.config.name);
  }

  #find(name: string) {
    const cluster = this.#clusters.find(c => c.config.name === name);
    if (!cluster) throw new NotFoundError(`no cluster named ${name}`);
    return cluster;
  }

  #compute(cluster: { config: FleetCluster; cache: ClusterCache }) {
    const { config, cache } = cluster;
    const now = Date.now();
    const version = cache.version;
    const previous = this.#computed.get(config.name);
    const health = cache.health(now);
    if (
      previous &&
      (previous.version === version ||
        (previous.complete &&
          now - previous.computedAt <
            (this.options.recomputeIntervalMs ?? 250)))
    ) {
      // The figures are unchanged (or were just computed): only the health's clock moves on.
      return { ...previous, overview: { ...previous.overview, health } };
    }
    try {
      const computed = this.#figures(
        config,
        cache.snapshot(),
        cache,
        version,
        now,
      );
      this.#computed.set(config.name, computed);
      return { ...computed, overview: { ...computed.overview, health } };
    } catch (error) {
      // Never a failure for the whole fleet: this cluster keeps its last figures (or none),
      // marked stale with the reason.
      this.options.logger.error(
        `computing the status of ${config.name} failed: ${error}`,
      );
      const fallback =
        previous ??
        this.#figures(
          config,
          { nodes: [], pods: [], scaleSchedules: [] },
          undefined,
          version,
          now,
        );
      return {
        ...fallback,
        overview: {
          ...fallback.overview,
          health: {
            ...health,
            stale: true,
            error: `status computation failed: ${error}`,
          },
        },
      };
    }
  }

  #figures(
    config: FleetCluster,
    snapshot: ClusterSnapshot,
    cache: ClusterCache | undefined,
    version: number,
    now: number,
  ): ComputedCluster {
    const gpu = computeClusterGpuStatus(snapshot);
    const warmPool = computeWarmPool(
      snapshot,
      new Date(now),
      this.options.warmPool,
    );
    const compliance = computeCompliance(
      cache?.complianceSnapshot(config.cloud) ?? { cloud: config.cloud },
      this.options.declaredControls.get(config.name),
    );
    const deployments = cache
      ? computeModelDeployments(
          config.name,
          cache.rollouts(),
          cache.applications(),
        )
      : [];
    const health = cache?.health(now) ?? {
      reachable: false,
      synced: false,
      stale: true,
      resourceErrors: [],
    };
    return {
      version,
      complete: health.synced,
      computedAt: now,
      compliance,
      deployments,
      overview: {
        name: config.name,
        cloud: config.cloud,
        region: config.region,
        health,
        gpu,
        warmPool,
        compliance: {
          score: compliance.score,
          compliant: compliance.compliant,
          failing: compliance.controls
            .filter(c => c.status === 'fail')
            .map(c => c.id),
          unknown: compliance.controls
            .filter(c => c.status === 'unknown')
            .map(c => c.id),
        },
        modelsRunning: deployments.length,
      },
    };
  }

  fleet(): FleetStatus {
    return {
      generatedAt: new Date().toISOString(),
      clusters: this.#clusters.map(c => this.#compute(c).overview),
    };
  }

  cluster(name: string): ClusterDetail {
    const cluster = this.#find(name);
    const computed = this.#compute(cluster);
    const snapshot = cluster.cache.snapshot();
    return {
      ...computed.overview,
      gpuNodes: computeGpuNodeRows(snapshot),
      pendingGpuPods: listPendingGpuPods(snapshot),
      complianceControls: computed.compliance.controls,
      deployments: computed.deployments,
    };
  }

  warmPool(name: string): ClusterWarmPool {
    const { overview } = this.#compute(this.#find(name));
    return {
      name: overview.name,
      cloud: overview.cloud,
      region: overview.region,
      health: overview.health,
      warmPool: overview.warmPool,
    };
  }

  compliance(): FleetCompliance {
    return {
      generatedAt: new Date().toISOString(),
      clusters: this.#clusters.map(c => {
        const computed = this.#compute(c);
        return {
          name: c.config.name,
          cloud: c.config.cloud,
          region: c.config.region,
          health: computed.overview.health,
          compliance: computed.compliance,
        };
      }),
    };
  }

  modelDeployments(model: string): ModelDeployments {
    return {
      model,
      deployments: this.#clusters.flatMap(c => {
        const computed = this.#compute(c);
        return computed.deployments
          .filter(d => d.model === model)
          .map(d => ({
            ...d,
            region: c.config.region,
            cloud: c.config.cloud,
            stale: computed.overview.health.stale,
          }));
      }),
    };
  }
}
