import type {
  ClusterOverview,
  GpuProfile,
} from '@internal/plugin-omnivision-common';

/** Free GPUs of a profile's product and resource in a cluster, and its warm-pool headroom. */
export function profileCapacity(
  cluster: ClusterOverview | undefined,
  profile: GpuProfile,
): { free: number; headroom: number } | undefined {
  if (!cluster) return undefined;
  const free = cluster.gpu.gpus
    .filter(
      g =>
        g.product === profile.gpuProduct && g.resource === profile.gpuResource,
    )
    .reduce((sum, g) => sum + g.free, 0);
  return { free, headroom: cluster.warmPool.headroom };
}
