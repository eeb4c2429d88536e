import type { ClusterGpuStatus } from './clusterStatus';
import type { WarmPoolStatus } from './warmPool';
import type { GpuNodeRow, PendingGpuPod } from './gpuNodeTable';
import type {
  ComplianceControlId,
  ComplianceStatus,
  ControlResult,
} from '../compliance/complianceControls';
import type { ModelDeploymentStatus } from '../deployments/modelDeployments';

/** The clouds the fleet runs in. @public */
export type Cloud = 'aws' | 'gcp';

/** How fresh and how reachable a cluster's figures are. @public */
export interface ClusterHealth {
  /** The API server answered its last probe. */
  reachable: boolean;
  /** Every resource cache has been filled at least once. */
  synced: boolean;
  /** The figures may be out of date: unreachable, a cache not current, or no contact lately. */
  stale: boolean;
  /** The last time the API server answered anything (ISO 8601). */
  lastContact?: string;
  /** Seconds since the last contact, when the status was computed. */
  dataAgeSeconds?: number;
  /** Round trip of the last successful probe (`GET /version`). */
  roundTripMs?: number;
  kubernetesVersion?: string;
  /** Why the cluster is unreachable or stale. */
  error?: string;
  /** Resource kinds whose cache failed, with the reason (e.g. a 403 on pods). */
  resourceErrors: Array<{ resource: string; error: string }>;
}

/**
 * The fields of a {@link ClusterHealth} that are clock readings, changing at every contact:
 * documents whose other fields are the same are the same document (the same `ETag`).
 *
 * @public
 */
export const HEALTH_CLOCK_READINGS = [
  'lastContact',
  'dataAgeSeconds',
  'roundTripMs',
] as const satisfies ReadonlyArray<keyof ClusterHealth>;

/**
 * The annotation of the `BOOKMARK` that ends a watch's initial events (`sendInitialEvents=true`,
 * Kubernetes' streaming watch list): what the sandbox's API servers send and the fleet caches
 * wait for.
 *
 * @public
 */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

/** A cluster's compliance in brief. @public */
export interface ComplianceSummary {
  score: number;
  compliant: boolean;
  failing: ComplianceControlId[];
  unknown: ComplianceControlId[];
}

/** One cluster on the fleet overview. @public */
export interface ClusterOverview {
  name: string;
  cloud: Cloud;
  region: string;
  health: ClusterHealth;
  gpu: ClusterGpuStatus;
  warmPool: WarmPoolStatus;
  compliance: ComplianceSummary;
  /** Models with a Rollout or an Argo CD Application on the cluster. */
  modelsRunning: number;
}

/** `GET /api/omnivision/fleet`. @public */
export interface FleetStatus {
  generatedAt: string;
  clusters: ClusterOverview[];
}

/** `GET /api/omnivision/clusters/:name`. @public */
export interface ClusterDetail extends ClusterOverview {
  gpuNodes: GpuNodeRow[];
  pendingGpuPods: PendingGpuPod[];
  complianceControls: ControlResult[];
  deployments: ModelDeploymentStatus[];
}

/** `GET /api/omnivision/clusters/:name/warm-pool`. @public */
export interface ClusterWarmPool {
  name: string;
  cloud: Cloud;
  region: string;
  health: ClusterHealth;
  warmPool: WarmPoolStatus;
}

/** `GET /api/omnivision/compliance`. @public */
export interface FleetCompliance {
  generatedAt: string;
  clusters: Array<{
    name: string;
    cloud: Cloud;
    region: string;
    health: ClusterHealth;
    compliance: ComplianceStatus;
  }>;
}

/** One model's deployment in one region. @public */
export interface RegionalModelDeployment extends ModelDeploymentStatus {
  region: string;
  cloud: Cloud;
  /** Whether the figures are current (the cluster is reachable and its caches current). */
  stale: boolean;
}

/** `GET /api/omnivision/models/:name/deployments`. @public */
export interface ModelDeployments {
  model: string;
  deployments: RegionalModelDeployment[];
}

/** The headline figures of a cluster that the history keeps, minute by minute. @public */
export const HISTORY_METRICS = [
  'headroom',
  'placeholderGpus',
  'gpusAllocatable',
  'gpusRequested',
  'gpusFree',
  'nodesReady',
  'gpuNodesReady',
  'pendingGpuPods',
  'complianceScore',
] as const;

/** @public */
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

/** @public */
export type ClusterFigures = Record<HistoryMetric, number>;

/** `GET /api/omnivision/history`: one metric of one cluster over time. @public */
export interface MetricHistory {
  cluster: string;
  metric: HistoryMetric;
  from: string;
  to: string;
  /** `value` is null for a minute in which the cluster could not be reached. */
  points: Array<{ at: string; value: number | null }>;
}
