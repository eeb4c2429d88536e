import {
  ClusterSnapshot,
  PodSummary,
  WHOLE_GPU,
  isActivePod,
} from './ClusterSnapshot';

/** One GPU node as the cluster page lists it. @public */
export interface GpuNodeRow {
  name: string;
  product: string;
  placement?: string;
  /** Allocatable GPU resources: whole GPUs and MIG slices. */
  allocatable: Record<string, number>;
  /** GPU resources requested by the active pods bound to the node. */
  requested: Record<string, number>;
  /** Placeholder (negative-priority) pods on the node, and the whole GPUs they hold. */
  placeholderPods: number;
  placeholderGpus: number;
  ready: boolean;
  cordoned: boolean;
  problems: string[];
}

/** A GPU pod that no node has taken yet. @public */
export interface PendingGpuPod {
  namespace: string;
  name: string;
  gpuRequests: Record<string, number>;
  /** A warm-pool placeholder: pending means the buffer is used up. */
  placeholder: boolean;
  createdAt?: string;
}

function requestsGpus(pod: PodSummary) {
  return Object.values(pod.gpuRequests).some(n => n > 0);
}

/** Placeholder pods hold GPUs for real work at a priority below zero. @public */
export function isPlaceholderPod(pod: PodSummary): boolean {
  return pod.priority < 0 && requestsGpus(pod);
}

/**
 * The GPU nodes of a cluster, one row each: product, GPUs allocatable and requested, the
 * placeholders that hold GPUs on it, and whether it is ready, cordoned or has problems.
 * Sorted by product, then name.
 *
 * @public
 */
export function computeGpuNodeRows(snapshot: ClusterSnapshot): GpuNodeRow[] {
  const rows = new Map<string, GpuNodeRow>();
  for (const node of snapshot.nodes) {
    const allocatable = Object.fromEntries(
      Object.entries(node.gpuAllocatable).filter(([, n]) => n > 0),
    );
    if (Object.keys(allocatable).length === 0 && !node.gpuProduct) continue;
    rows.set(node.name, {
      name: node.name,
      product: node.gpuProduct ?? 'unknown',
      placement: node.placement,
      allocatable,
      requested: {},
      placeholderPods: 0,
      placeholderGpus: 0,
      ready: node.ready,
      cordoned: node.unschedulable,
      problems: node.problems ?? [],
    });
  }
  for (const pod of snapshot.pods) {
    if (!pod.nodeName || !isActivePod(pod) || !requestsGpus(pod)) continue;
    const row = rows.get(pod.nodeName);
    if (!row) continue;
    for (const [resource, n] of Object.entries(pod.gpuRequests)) {
      if (n > 0) row.requested[resource] = (row.requested[resource] ?? 0) + n;
    }
    if (isPlaceholderPod(pod)) {
      row.placeholderPods += 1;
      row.placeholderGpus += pod.gpuRequests[WHOLE_GPU] ?? 0;
    }
  }
  return [...rows.values()].sort((a, b) =>
    a.product === b.product
      ? a.name.localeCompare(b.name)
      : a.product.localeCompare(b.product),
  );
}

/**
 * The active GPU pods that are bound to no node, oldest first.
 *
 * @public
 */
export function listPendingGpuPods(snapshot: ClusterSnapshot): PendingGpuPod[] {
  return snapshot.pods
    .filter(p => !p.nodeName && isActivePod(p) && requestsGpus(p))
    .map(p => ({
      namespace: p.namespace,
      name: p.name,
      gpuRequests: Object.fromEntries(
        Object.entries(p.gpuRequests).filter(([, n]) => n > 0),
      ),
      placeholder: isPlaceholderPod(p),
      createdAt: p.createdAt,
    }))
    .sort(
      (a, b) =>
        (a.createdAt ?? '').localeCompare(b.createdAt ?? '') ||
        a.name.localeCompare(b.name),
    );
}
