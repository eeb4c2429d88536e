import { ClusterGpuStatus, wholeGpus } from './clusterStatus';
import type { WarmPoolStatus } from './warmPool';
import type { ClusterFigures } from './FleetStatus';

/**
 * The headline figures of a cluster, as the history records them each minute: whole GPUs
 * (MIG slices apart), the warm pool's headroom, nodes and the compliance score.
 *
 * @public
 */
export function computeClusterFigures(
  gpu: ClusterGpuStatus,
  warmPool: WarmPoolStatus,
  complianceScore: number,
): ClusterFigures {
  return {
    headroom: warmPool.headroom,
    placeholderGpus: warmPool.placeholderGpus,
    gpusAllocatable: wholeGpus(gpu, 'allocatable'),
    gpusRequested: wholeGpus(gpu, 'requested'),
    gpusFree: wholeGpus(gpu, 'free'),
    nodesReady: gpu.nodesReady,
    gpuNodesReady: gpu.gpuNodesReady,
    pendingGpuPods: gpu.pendingGpuPods,
    complianceScore,
  };
}
