/**
 * The slice of a cluster's objects the fleet status is computed from: only the fields it uses,
 * so that watch caches of large clusters stay small.
 *
 * @public
 */
export interface NodeSummary {
  name: string;
  ready: boolean;
  /** Cordoned (spec.unschedulable): counted in capacity, never in free GPUs. */
  unschedulable: boolean;
  /** GPU Feature Discovery's `nvidia.com/gpu.product`, if the node has GPUs. */
  gpuProduct?: string;
  gpuMemoryMiB?: number;
  /** The cloud's placement label value (EKS node group or GKE accelerator). */
  placement?: string;
  /** Allocatable GPU resources: `nvidia.com/gpu` and MIG slices such as `nvidia.com/mig-1g.5gb`. */
  gpuAllocatable: Record<string, number>;
  /** Conditions that need attention: Ready not `True`, or a pressure condition that is `True`. */
  problems?: string[];
}

/** @public */
export interface PodSummary {
  namespace: string;
  name: string;
  nodeName?: string;
  phase: string;
  priority: number;
  /** GPU resources the pod requests (limits of its containers), by resource name. */
  gpuRequests: Record<string, number>;
  labels: Record<string, string>;
  images: string[];
  serviceAccountName?: string;
  /** When the pod was created (ISO 8601): how long a pending pod has waited. */
  createdAt?: string;
}

/** A scheduled scale-up or scale-down of the GPU node pool (a CronJob). @public */
export interface ScaleScheduleSummary {
  namespace: string;
  name: string;
  schedule: string;
  timeZone?: string;
  /** The node count it scales to (annotation `omnivision.ai/target-gpu-nodes`). */
  targetGpuNodes?: number;
  suspended: boolean;
}

/** @public */
export interface ClusterSnapshot {
  nodes: NodeSummary[];
  pods: PodSummary[];
  scaleSchedules: ScaleScheduleSummary[];
}

/** The whole-GPU resource; MIG slices are `nvidia.com/mig-<profile>`. @public */
export const WHOLE_GPU = 'nvidia.com/gpu';

/** Whether a pod still holds what it requested (it is not finished). @public */
export function isActivePod(pod: PodSummary): boolean {
  return pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}
