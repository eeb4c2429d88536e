import type { Cloud } from './SimulatedCluster';

/** A kind of GPU node as each cloud names it (GPU Feature Discovery labels and node groups). */
export interface GpuNodeShape {
  /** EKS node group (aws) or GKE accelerator (gcp): the value the cloud's node affinity selects. */
  placement: string;
  instanceType: string;
  product: string;
  gpus: number;
  gpuMemoryMiB: number;
  /** Share of the cluster's GPU nodes of this shape. */
  share: number;
  /** MIG profile the node is partitioned into (mixed strategy), if any. */
  mig?: { profile: string; perGpu: number };
}

export const GPU_NODE_SHAPES: Record<Cloud, GpuNodeShape[]> = {
  aws: [
    {
      placement: 'gpu-a100',
      instanceType: 'p4d.24xlarge',
      product: 'NVIDIA-A100-SXM4-40GB',
      gpus: 8,
      gpuMemoryMiB: 40960,
      share: 0.25,
    },
    {
      placement: 'gpu-a10g',
      instanceType: 'g5.12xlarge',
      product: 'NVIDIA-A10G',
      gpus: 4,
      gpuMemoryMiB: 23028,
      share: 0.4,
    },
    {
      placement: 'gpu-t4',
      instanceType: 'g4dn.12xlarge',
      product: 'Tesla-T4',
      gpus: 4,
      gpuMemoryMiB: 15360,
      share: 0.3,
    },
    {
      placement: 'gpu-a100-mig',
      instanceType: 'p4d.24xlarge',
      product: 'NVIDIA-A100-SXM4-40GB',
      gpus: 8,
      gpuMemoryMiB: 40960,
      share: 0.05,
      mig: { profile: '1g.5gb', perGpu: 7 },
    },
  ],
  gcp: [
    {
      placement: 'nvidia-tesla-a100',
      instanceType: 'a2-highgpu-8g',
      product: 'NVIDIA-A100-SXM4-40GB',
      gpus: 8,
      gpuMemoryMiB: 40960,
      share: 0.25,
    },
    {
      placement: 'nvidia-l4',
      instanceType: 'g2-standard-48',
      product: 'NVIDIA-L4',
      gpus: 4,
      gpuMemoryMiB: 23034,
      share: 0.4,
    },
    {
      placement: 'nvidia-tesla-t4',
      instanceType: 'n1-standard-32',
      product: 'Tesla-T4',
      gpus: 4,
      gpuMemoryMiB: 15360,
      share: 0.3,
    },
    {
      placement: 'nvidia-tesla-a100',
      instanceType: 'a2-highgpu-8g',
      product: 'NVIDIA-A100-SXM4-40GB',
      gpus: 8,
      gpuMemoryMiB: 40960,
      share: 0.05,
      mig: { profile: '1g.5gb', perGpu: 7 },
    },
  ],
};

/** Splits a number of GPU nodes across the shapes by their shares (at least one of each). */
export function nodeCountsByShape(cloud: Cloud, gpuNodes: number): number[] {
  const shapes = GPU_NODE_SHAPES[cloud];
  const counts = shapes.map(s => Math.max(1, Math.floor(gpuNodes * s.share)));
  let total = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; total < gpuNodes; i = (i + 1) % shapes.length, total++)
    counts[i]++;
  for (let i = 0; total > gpuNodes && i < counts.length; i++) {
    while (counts[i] > 1 && total > gpuNodes) {
      counts[i]--;
      total--;
    }
  }
  return counts;
}
