import {
  ClusterSnapshot,
  ScaleScheduleSummary,
  WHOLE_GPU,
  isActivePod,
} from './ClusterSnapshot';
import { nextCronRun } from './cronSchedule';

/** What the warm pool must hold (seed 000: 20% headroom, a baseline of 20 GPU nodes). @public */
export interface WarmPoolPolicy {
  /** Share of the whole GPUs that placeholder pods should hold. */
  targetHeadroom: number;
  /** GPU nodes that must always be ready. */
  baselineGpuNodes: number;
}

/** @public */
export const DEFAULT_WARM_POOL_POLICY: WarmPoolPolicy = {
  targetHeadroom: 0.2,
  baselineGpuNodes: 20,
};

/** @public */
export interface WarmPoolStatus {
  placeholdersRunning: number;
  placeholdersPending: number;
  /** Whole GPUs the running placeholders hold. */
  placeholderGpus: number;
  allocatableGpus: number;
  /** placeholderGpus / allocatableGpus (0 when the cluster has no GPUs). */
  headroom: number;
  targetHeadroom: number;
  meetsHeadroomTarget: boolean;
  readyGpuNodes: number;
  baselineGpuNodes: number;
  meetsBaseline: boolean;
  /** Placeholders wait for GPUs: the buffer is used up and new work preempts nothing. */
  bufferExhausted: boolean;
  scaleSchedules: Array<{
    name: string;
    schedule: string;
    timeZone: string;
    targetGpuNodes?: number;
    nextRun?: string;
    suspended: boolean;
  }>;
}

/**
 * The warm pool of one cluster: placeholder (negative-priority) pods and the GPUs they hold as
 * headroom against the target, ready GPU nodes against the baseline, whether placeholders are
 * pending, and the scheduled scale-ups with their next run after `now`.
 *
 * @public
 */
export function computeWarmPool(
  snapshot: ClusterSnapshot,
  now: Date,
  policy: WarmPoolPolicy = DEFAULT_WARM_POOL_POLICY,
): WarmPoolStatus {
  const placeholders = snapshot.pods.filter(
    p =>
      p.priority < 0 && (p.gpuRequests[WHOLE_GPU] ?? 0) > 0 && isActivePod(p),
  );
  const running = placeholders.filter(p => p.nodeName && p.phase === 'Running');
  const pending = placeholders.filter(
    p => !p.nodeName || p.phase === 'Pending',
  );
  const placeholderGpus = running.reduce(
    (sum, p) => sum + p.gpuRequests[WHOLE_GPU],
    0,
  );
  const allocatableGpus = snapshot.nodes.reduce(
    (sum, n) => sum + (n.gpuAllocatable[WHOLE_GPU] ?? 0),
    0,
  );
  const headroom = allocatableGpus > 0 ? placeholderGpus / allocatableGpus : 0;
  const readyGpuNodes = snapshot.nodes.filter(
    n => n.ready && Object.values(n.gpuAllocatable).some(v => v > 0),
  ).length;
  return {
    placeholdersRunning: running.length,
    placeholdersPending: pending.length,
    placeholderGpus,
    allocatableGpus,
    headroom,
    targetHeadroom: policy.targetHeadroom,
    meetsHeadroomTarget: headroom >= policy.targetHeadroom,
    readyGpuNodes,
    baselineGpuNodes: policy.baselineGpuNodes,
    meetsBaseline: readyGpuNodes >= policy.baselineGpuNodes,
    bufferExhausted: pending.length > 0,
    scaleSchedules: snapshot.scaleSchedules.map(s => ({
      name: s.name,
      schedule: s.schedule,
      timeZone: s.timeZone ?? 'UTC',
      targetGpuNodes: s.targetGpuNodes,
      nextRun: nextScaleUp(s, now),
      suspended: s.suspended,
    })),
  };
}

/**
 * When a scale schedule runs next after `now` (ISO 8601): undefined while it is suspended, or for
 * a schedule that never runs (invalid: Kubernetes rejects it too). What the warm pool shows of
 * the time: its status changes with the clock only when one of these does.
 *
 * @public
 */
export function nextScaleUp(
  schedule: ScaleScheduleSummary,
  now: Date,
): string | undefined {
  if (schedule.suspended) return undefined;
  try {
    return nextCronRun(
      schedule.schedule,
      now,
      schedule.timeZone ?? 'UTC',
    )?.toISOString();
  } catch {
    return undefined;
  }
}
