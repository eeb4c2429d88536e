import type { NodeSummary, PodSummary } from '../fleet/ClusterSnapshot';

/** Hand-made fleet objects for tests: a node of a product with whole GPUs or MIG slices. */
export function gpuNodeFixture(
  name: string,
  overrides: Partial<NodeSummary> = {},
): NodeSummary {
  return {
    name,
    ready: true,
    unschedulable: false,
    gpuProduct: 'NVIDIA-A10G',
    gpuMemoryMiB: 23028,
    placement: 'gpu-a10g',
    gpuAllocatable: { 'nvidia.com/gpu': 4 },
    ...overrides,
  };
}

export function podFixture(
  name: string,
  overrides: Partial<PodSummary> = {},
): PodSummary {
  return {
    namespace: 'omnivision',
    name,
    phase: 'Running',
    priority: 0,
    gpuRequests: {},
    labels: {},
    images: ['registry.example/omnivision-worker@sha256:abc'],
    ...overrides,
  };
}
