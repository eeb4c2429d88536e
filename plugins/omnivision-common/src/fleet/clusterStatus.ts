import {
  ClusterSnapshot,
  NodeSummary,
  WHOLE_GPU,
  isActivePod,
} from './ClusterSnapshot';

/** GPUs of one product (and, for MIG, one slice profile) in a cluster. @public */
export interface GpuInventory {
  product: string;
  /** `nvidia.com/gpu`, or a MIG slice resource such as `nvidia.com/mig-1g.5gb`. */
  resource: string;
  nodes: number;
  allocatable: number;
  requested: number;
  /** Allocatable minus requested on ready, schedulable nodes: what new work can get now. */
  free: number;
}

/** @public */
export interface ClusterGpuStatus {
  nodesTotal: number;
  nodesReady: number;
  gpuNodes: number;
  gpuNodesReady: number;
  gpus: GpuInventory[];
  /** GPU pods that no node has taken yet. */
  pendingGpuPods: number;
}

function isGpuNode(node: NodeSummary) {
  return (
    Object.values(node.gpuAllocatable).some(n => n > 0) || !!node.gpuProduct
  );
}

/**
 * The node and GPU figures of one cluster: GPUs per product and resource (MIG slices apart from
 * whole GPUs), allocatable, requested by active pods, and free on nodes that can take work.
 *
 * @public
 */
export function computeClusterGpuStatus(
  snapshot: ClusterSnapshot,
): ClusterGpuStatus {
  const inventory = new Map<string, GpuInventory>();
  const entry = (node: NodeSummary, resource: string) => {
    const product = node.gpuProduct ?? 'unknown';
    const key = `${product}|${resource}`;
    let item = inventory.get(key);
    if (!item) {
      item = {
        product,
        resource,
        nodes: 0,
        allocatable: 0,
        requested: 0,
        free: 0,
      };
      inventory.set(key, item);
    }
    return item;
  };
  const requestedOnNode = new Map<string, Map<string, number>>();
  let pendingGpuPods = 0;
  for (const pod of snapshot.pods) {
    const gpuResources = Object.entries(pod.gpuRequests).filter(
      ([, n]) => n > 0,
    );
    if (gpuResources.length === 0 || !isActivePod(pod)) continue;
    if (!pod.nodeName) {
      pendingGpuPods++;
      continue;
    }
    const onNode =
      requestedOnNode.get(pod.nodeName) ?? new Map<string, number>();
    for (const [resource, n] of gpuResources)
      onNode.set(resource, (onNode.get(resource) ?? 0) + n);
    requestedOnNode.set(pod.nodeName, onNode);
  }
  for (const node of snapshot.nodes) {
    const canTakeWork = node.ready && !node.unschedulable;
    for (const [resource, allocatable] of Object.entries(node.gpuAllocatable)) {
      if (allocatable <= 0) continue;
      const item = entry(node, resource);
      const requested = requestedOnNode.get(node.name)?.get(resource) ?? 0;
      item.nodes += 1;
      item.allocatable += allocatable;
      item.requested += requested;
      if (canTakeWork) item.free += Math.max(0, allocatable - requested);
    }
  }
  const gpuNodes = snapshot.nodes.filter(isGpuNode);
  return {
    nodesTotal: snapshot.nodes.length,
    nodesReady: snapshot.nodes.filter(n => n.ready).length,
    gpuNodes: gpuNodes.length,
    gpuNodesReady: gpuNodes.filter(n => n.ready).length,
    gpus: [...inventory.values()].sort((a, b) =>
      a.product === b.product
        ? a.resource.localeCompare(b.resource)
        : a.product.localeCompare(b.product),
    ),
    pendingGpuPods,
  };
}

/** Whole GPUs in a status (MIG slices excluded). @public */
export function wholeGpus(
  status: ClusterGpuStatus,
  field: 'allocatable' | 'requested' | 'free',
): number {
  return status.gpus
    .filter(g => g.resource === WHOLE_GPU)
    .reduce((sum, g) => sum + g[field], 0);
}
