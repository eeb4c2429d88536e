import { computeClusterGpuStatus, wholeGpus } from './clusterStatus';
import { gpuNodeFixture, podFixture } from '../testing/snapshotFixtures';

describe('computeClusterGpuStatus', () => {
  const nodes = [
    gpuNodeFixture('a10g-1'),
    gpuNodeFixture('a10g-2'),
    gpuNodeFixture('a100-1', {
      gpuProduct: 'NVIDIA-A100-SXM4-40GB',
      gpuAllocatable: { 'nvidia.com/gpu': 8 },
    }),
    gpuNodeFixture('a100-mig', {
      gpuProduct: 'NVIDIA-A100-SXM4-40GB',
      gpuAllocatable: { 'nvidia.com/gpu': 0, 'nvidia.com/mig-1g.5gb': 56 },
    }),
    gpuNodeFixture('a10g-cordoned', { unschedulable: true }),
    gpuNodeFixture('a10g-notready', { ready: false }),
    { name: 'system-1', ready: true, unschedulable: false, gpuAllocatable: {} },
  ];
  const pods = [
    podFixture('w1', {
      nodeName: 'a10g-1',
      gpuRequests: { 'nvidia.com/gpu': 1 },
    }),
    podFixture('w2', {
      nodeName: 'a10g-1',
      gpuRequests: { 'nvidia.com/gpu': 2 },
    }),
    podFixture('big', {
      nodeName: 'a100-1',
      gpuRequests: { 'nvidia.com/gpu': 8 },
    }),
    podFixture('slice', {
      nodeName: 'a100-mig',
      gpuRequests: { 'nvidia.com/mig-1g.5gb': 3 },
    }),
    podFixture('on-cordoned', {
      nodeName: 'a10g-cordoned',
      gpuRequests: { 'nvidia.com/gpu': 1 },
    }),
    podFixture('done', {
      nodeName: 'a10g-2',
      phase: 'Succeeded',
      gpuRequests: { 'nvidia.com/gpu': 4 },
    }),
    podFixture('waiting', {
      phase: 'Pending',
      gpuRequests: { 'nvidia.com/gpu': 1 },
    }),
    podFixture('cpu-only', { nodeName: 'system-1' }),
  ];
  const status = computeClusterGpuStatus({ nodes, pods, scaleSchedules: [] });

  it('counts nodes, ready nodes and GPU nodes', () => {
    expect(status).toMatchObject({
      nodesTotal: 7,
      nodesReady: 6,
      gpuNodes: 6,
      gpuNodesReady: 5,
      pendingGpuPods: 1,
    });
  });

  it('keeps MIG slices apart from whole GPUs of the same product', () => {
    expect(status.gpus).toEqual([
      {
        product: 'NVIDIA-A100-SXM4-40GB',
        resource: 'nvidia.com/gpu',
        nodes: 1,
        allocatable: 8,
        requested: 8,
        free: 0,
      },
      {
        product: 'NVIDIA-A100-SXM4-40GB',
        resource: 'nvidia.com/mig-1g.5gb',
        nodes: 1,
        allocatable: 56,
        requested: 3,
        free: 53,
      },
      // 4 nodes × 4; requested 3 + 1 (finished pods release theirs); cordoned and not-ready nodes offer nothing.
      {
        product: 'NVIDIA-A10G',
        resource: 'nvidia.com/gpu',
        nodes: 4,
        allocatable: 16,
        requested: 4,
        free: 5,
      },
    ]);
  });

  it('sums whole GPUs', () => {
    expect([
      wholeGpus(status, 'allocatable'),
      wholeGpus(status, 'requested'),
      wholeGpus(status, 'free'),
    ]).toEqual([24, 12, 5]);
  });

  it('answers for an empty cluster', () => {
    expect(
      computeClusterGpuStatus({ nodes: [], pods: [], scaleSchedules: [] }),
    ).toEqual({
      nodesTotal: 0,
      nodesReady: 0,
      gpuNodes: 0,
      gpuNodesReady: 0,
      gpus: [],
      pendingGpuPods: 0,
    });
  });
});
