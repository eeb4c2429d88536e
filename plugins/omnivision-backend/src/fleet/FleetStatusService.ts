import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterDetail,
  ClusterWarmPool,
  ModelMatrixRegion,
  FleetCompliance,
  FleetStatus,
  ModelDeployments,
  RegionalModelDeployment,
  RolloutSummary,
  WarmPoolPolicy,
  computeGpuNodeRows,
  listPendingGpuPods,
} from '@internal/plugin-omnivision-common';
import type { FleetCluster } from './FleetConfig';
import type { DeclaredControlsReader } from './DeclaredControlsReader';
import { ClusterCache, ClusterCacheTimings } from './kubernetes/ClusterCache';
import {
  ClusterCredentials,
  FleetAuthStrategies,
} from './kubernetes/ClusterCredentials';
import { ClusterStatusComputer } from './ClusterStatusComputer';
import type { ClusterConnection } from './kubernetes/ClusterConnection';
import type { OmniVisionMetrics } from '../metrics';

export interface FleetStatusServiceOptions {
  clusters: FleetCluster[];
  /** How the fleet proves who it is to each cluster, by its auth provider. */
  authStrategies: FleetAuthStrategies;
  warmPool: WarmPoolPolicy;
  declaredControls: Pick<DeclaredControlsReader, 'get'>;
  logger: LoggerService;
  /** Where each cluster's staleness and errors are reported. */
  metrics?: OmniVisionMetrics;
  timings?: Partial<ClusterCacheTimings>;
  recomputeIntervalMs?: number;
}

interface WatchedCluster {
  config: FleetCluster;
  cache: ClusterCache;
  status: ClusterStatusComputer;
}

/** A model's Rollout in one region, as the fleet's caches know it, and how to reach its cluster. */
export interface RolloutTarget {
  cluster: string;
  region: string;
  rollout: RolloutSummary;
  connection: ClusterConnection;
  /** The deadline of each request to the cluster. */
  timeoutMs: number;
}

/**
 * The fleet's status, answered from the clusters' watch caches: no request reaches an API
 * server. Each cluster is watched and computed on its own, so one that cannot be reached (or
 * fails to compute) never hides or slows the others: it shows its last good figures, marked
 * stale, with the reason.
 */
export class FleetStatusService {
  readonly #clusters: WatchedCluster[];

  static create(options: FleetStatusServiceOptions): FleetStatusService {
    return new FleetStatusService(options);
  }

  private constructor(options: FleetStatusServiceOptions) {
    this.#clusters = options.clusters.map(config => {
      const cache = ClusterCache.create({
        endpoint: config.endpoint,
        credentials: ClusterCredentials.create({
          endpoint: config.endpoint,
          strategies: options.authStrategies,
        }),
        logger: options.logger.child({ cluster: config.name }),
        timings: options.timings,
        region: config.region,
        metrics: options.metrics,
      });
      return {
        config,
        cache,
        status: ClusterStatusComputer.create({
          cluster: config,
          cache,
          warmPool: options.warmPool,
          declaredControls: name => options.declaredControls.get(name),
          logger: options.logger,
          recomputeIntervalMs: options.recomputeIntervalMs,
        }),
      };
    });
  }

  start(): void {
    for (const { cache } of this.#clusters) cache.start();
  }

  stop(): void {
    for (const { cache } of this.#clusters) cache.stop();
  }

  /**
   * Calls `listener` with a cluster's name whenever one of its caches changes (an object added,
   * changed or deleted, a cache going stale or current). Health that changes with time alone (a
   * cluster not heard from for too long) is seen by asking {@link FleetStatusService.inputs}.
   */
  onChange(listener: (cluster: string) => void): () => void {
    const unsubscribe = this.#clusters.flatMap(({ config, cache }) =>
      Object.values(cache.caches).map(c =>
        c.onChange(() => listener(config.name)),
      ),
    );
    return () => unsubscribe.forEach(u => u());
  }

  /**
   * What each cluster's status is computed from now (see `ComputedClusterStatus.inputs`), and
   * whether it is current: equal inputs mean equal documents.
   */
  inputs(): Array<{ cluster: string; inputs: string; current: boolean }> {
    return this.#clusters.map(c => {
      const { inputs, current } = c.status.compute();
      return { cluster: c.config.name, inputs, current };
    });
  }

  get clusterNames(): string[] {
    return this.#clusters.map(c => c.config.name);
  }

  #find(name: string): WatchedCluster {
    const cluster = this.#clusters.find(c => c.config.name === name);
    if (!cluster) throw new NotFoundError(`no cluster named ${name}`);
    return cluster;
  }

  /** The regions of the fleet's clusters. */
  get regions(): string[] {
    return this.#clusters.map(c => c.config.region);
  }

  /**
   * The Rollout of `model` in `region` (labelled with the model, as the chart names it), from the
   * region's cluster's cache; undefined when the cluster holds none.
   */
  rolloutOf(model: string, region: string): RolloutTarget | undefined {
    const cluster = this.#clusters.find(c => c.config.region === region);
    const rollout = cluster?.cache.rollouts().find(r => r.model === model);
    if (!cluster || !rollout) return undefined;
    return {
      cluster: cluster.config.name,
      region,
      rollout,
      ...cluster.cache.writer,
    };
  }

  fleet(): FleetStatus {
    return {
      generatedAt: new Date().toISOString(),
      clusters: this.#clusters.map(c => c.status.compute().overview),
    };
  }

  cluster(name: string): ClusterDetail {
    const cluster = this.#find(name);
    const computed = cluster.status.compute();
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
    const { overview } = this.#find(name).status.compute();
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
        const { overview, compliance } = c.status.compute();
        return {
          name: overview.name,
          cloud: overview.cloud,
          region: overview.region,
          health: overview.health,
          compliance,
        };
      }),
    };
  }

  modelDeployments(model: string): ModelDeployments {
    return {
      model,
      deployments: this.allModelDeployments().filter(d => d.model === model),
    };
  }

  /**
   * Each region's nodes and pods, from the watch caches, and whether its figures are current:
   * what the model × region matrix counts the GPUs a model holds from.
   */
  regionSnapshots(): ModelMatrixRegion[] {
    return this.#clusters.map(c => {
      const { overview } = c.status.compute();
      const { nodes, pods } = c.cache.snapshot();
      return {
        region: c.config.region,
        cluster: c.config.name,
        cloud: c.config.cloud,
        stale: overview.health.stale,
        nodes,
        pods,
      };
    });
  }

  /** Every model's deployment in every region, from the watch caches. */
  allModelDeployments(): RegionalModelDeployment[] {
    return this.#clusters.flatMap(c => {
      const { overview, deployments } = c.status.compute();
      return deployments.map(d => ({
        ...d,
        region: c.config.region,
        cloud: c.config.cloud,
        stale: overview.health.stale,
      }));
    });
  }
}
