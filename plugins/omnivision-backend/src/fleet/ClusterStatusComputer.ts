import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterGpuStatus,
  ClusterHealth,
  ClusterOverview,
  ComplianceStatus,
  DeclaredControls,
  ModelDeploymentStatus,
  WarmPoolPolicy,
  WarmPoolStatus,
  computeClusterGpuStatus,
  computeCompliance,
  computeModelDeployments,
  computeWarmPool,
  HEALTH_CLOCK_READINGS,
  PodSummary,
  ScaleScheduleSummary,
  isRevisionPod,
  nextScaleUp,
} from '@internal/plugin-omnivision-common';
import type { FleetCluster } from './FleetConfig';
import type { ClusterCache } from './kubernetes/ClusterCache';

/** A cluster's status as computed from its caches at one moment. */
export interface ComputedClusterStatus {
  overview: ClusterOverview;
  compliance: ComplianceStatus;
  deployments: ModelDeploymentStatus[];
  /**
   * What the status was computed from: the versions of the caches each part read, the declared
   * controls, the next runs of the scale schedules and the health (without its clock readings:
   * last contact, data age, round trip). Equal inputs mean an equal status, up to those readings.
   */
  inputs: string;
  /**
   * Whether every part was computed from the caches as they are now; false while a part under
   * constant change reuses a value younger than the recompute interval.
   */
  current: boolean;
}

interface Memo<T> {
  key: string;
  value: T;
  at: number;
  /** Computed from filled caches: only such a value is worth reusing under change. */
  complete: boolean;
  /** The key of the caches as they were last asked for (equal to `key` when current). */
  wanted?: string;
}

/** The health without its clock readings, which change at every contact. */
function healthFingerprint(health: ClusterHealth): string {
  const rest: Partial<ClusterHealth> = { ...health };
  for (const field of HEALTH_CLOCK_READINGS) delete rest[field];
  return JSON.stringify(rest);
}

const EMPTY_SNAPSHOT = { nodes: [], pods: [], scaleSchedules: [] };

export interface ClusterStatusComputerOptions {
  cluster: FleetCluster;
  cache: ClusterCache;
  warmPool: WarmPoolPolicy;
  declaredControls: (cluster: string) => DeclaredControls;
  logger: LoggerService;
  /** Under constant change, each part is recomputed at most this often. */
  recomputeIntervalMs?: number;
}

/**
 * Computes one cluster's status from its caches, in three parts that are each recomputed only
 * when the caches they depend on changed: GPUs and warm pool (nodes, pods, scale schedules, and
 * the next run of each scale schedule), compliance (its objects, the pods' service accounts
 * and the declared controls), deployments (Rollouts, Applications, AnalysisRuns, and the pods,
 * for the images the stable and canary revisions run). Argo CD touching its
 * Applications every few seconds thus never recounts 30,000 pods. A part that fails to compute
 * keeps its last value and marks the status stale with the reason; it never throws.
 */
export class ClusterStatusComputer {
  #gpu: Memo<{ gpu: ClusterGpuStatus; warmPool: WarmPoolStatus }> | undefined;
  #compliance: Memo<ComplianceStatus> | undefined;
  #deployments: Memo<ModelDeploymentStatus[]> | undefined;
  /** The pods of models' revisions, read again only when the pods change. */
  #revisionPods: { version: number; pods: PodSummary[] } | undefined;
  /** Each scale schedule's next run, worked out again only once it has passed. */
  readonly #nextRuns = new Map<string, string | undefined>();

  static create(options: ClusterStatusComputerOptions): ClusterStatusComputer {
    return new ClusterStatusComputer(options);
  }

  private constructor(private readonly options: ClusterStatusComputerOptions) {}

  /** Recomputes what changed (or reuses it); `now` dates the health and the warm pool. */
  compute(now = Date.now()): ComputedClusterStatus {
    const { cluster, cache } = this.options;
    const c = cache.caches;
    const health = cache.health(now);
    const failures: string[] = [];
    const complete = health.synced;

    const gpuPart = this.#part(
      this.#gpu,
      // The clock counts only when a scheduled scale-up's next run moves on.
      [
        c.nodes.version,
        c.pods.version,
        c.scaleSchedules.version,
        ...c.scaleSchedules
          .items()
          .map(schedule => this.#nextRun(schedule, now)),
      ].join('|'),
      complete,
      now,
      () => {
        const snapshot = cache.snapshot();
        return {
          gpu: computeClusterGpuStatus(snapshot),
          warmPool: computeWarmPool(
            snapshot,
            new Date(now),
            this.options.warmPool,
          ),
        };
      },
      () => ({
        gpu: computeClusterGpuStatus(EMPTY_SNAPSHOT),
        warmPool: computeWarmPool(
          EMPTY_SNAPSHOT,
          new Date(now),
          this.options.warmPool,
        ),
      }),
      failures,
    );
    this.#gpu = gpuPart;

    const declared = this.options.declaredControls(cluster.name);
    this.#compliance = this.#part(
      this.#compliance,
      [
        c.namespaces,
        c.peerAuthentications,
        c.clusterPolicies,
        c.policyReports,
        c.vulnerabilityReports,
        c.serviceAccounts,
        c.secrets,
        c.pods,
      ]
        .map(x => `${x.version}:${x.filled}`)
        .concat(JSON.stringify(declared))
        .join('|'),
      complete,
      now,
      () =>
        computeCompliance(cache.complianceSnapshot(cluster.cloud), declared),
      () => computeCompliance({ cloud: cluster.cloud }, declared),
      failures,
    );

    this.#deployments = this.#part(
      this.#deployments,
      `${c.rollouts.version}|${c.applications.version}|${c.analysisRuns.version}|${c.pods.version}`,
      complete,
      now,
      () =>
        computeModelDeployments(
          cluster.name,
          cache.rollouts(),
          cache.applications(),
          {
            pods: this.#podsOfRevisions(),
            analysisRuns: cache.analysisRuns(),
          },
        ),
      () => [],
      failures,
    );

    const compliance = this.#compliance.value;
    const deployments = this.#deployments.value;
    const parts = [gpuPart, this.#compliance, this.#deployments];
    return {
      compliance,
      deployments,
      inputs: [
        ...parts.map(p => p.key),
        healthFingerprint(health),
        failures.join('; '),
      ].join('#'),
      // A part that fails keeps its last value: asking again at once would not help.
      current: failures.length > 0 || parts.every(p => p.key === p.wanted),
      overview: {
        name: cluster.name,
        cloud: cluster.cloud,
        region: cluster.region,
        health:
          failures.length > 0
            ? {
                ...health,
                stale: true,
                error: `status computation failed: ${failures.join('; ')}`,
              }
            : health,
        gpu: gpuPart.value.gpu,
        warmPool: gpuPart.value.warmPool,
        compliance: {
          score: compliance.score,
          compliant: compliance.compliant,
          failing: compliance.controls
            .filter(x => x.status === 'fail')
            .map(x => x.id),
          unknown: compliance.controls
            .filter(x => x.status === 'unknown')
            .map(x => x.id),
        },
        modelsRunning: deployments.length,
      },
    };
  }

  /**
   * The pods of a model's revision (labelled with the model and a pod-template hash): a few
   * hundred of a cluster's 150,000, so that Argo CD touching an Application does not scan the
   * rest.
   */
  #podsOfRevisions(): PodSummary[] {
    const pods = this.options.cache.caches.pods;
    if (this.#revisionPods?.version !== pods.version) {
      this.#revisionPods = {
        version: pods.version,
        pods: pods.items().filter(isRevisionPod),
      };
    }
    return this.#revisionPods.pods;
  }

  /** A scale schedule's next run after `now`, from memory until it has passed. */
  #nextRun(schedule: ScaleScheduleSummary, now: number): string | undefined {
    const key = JSON.stringify(schedule);
    const known = this.#nextRuns.get(key);
    if (known !== undefined && Date.parse(known) > now) return known;
    const next = nextScaleUp(schedule, new Date(now));
    if (this.#nextRuns.size > 64) this.#nextRuns.clear();
    this.#nextRuns.set(key, next);
    return next;
  }

  #part<T>(
    memo: Memo<T> | undefined,
    key: string,
    complete: boolean,
    now: number,
    compute: () => T,
    empty: () => T,
    failures: string[],
  ): Memo<T> {
    if (
      memo &&
      (memo.key === key ||
        (memo.complete &&
          now - memo.at < (this.options.recomputeIntervalMs ?? 250)))
    ) {
      return { ...memo, wanted: key };
    }
    try {
      return { key, value: compute(), at: now, complete, wanted: key };
    } catch (error) {
      this.options.logger.error(
        `computing the status of ${this.options.cluster.name} failed: ${error}`,
      );
      failures.push(String(error));
      return {
        ...(memo ?? { key: '', value: empty(), at: now, complete: false }),
        wanted: key,
      };
    }
  }
}
