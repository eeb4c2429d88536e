import { computeClusterFigures } from './clusterFigures';
import { computeClusterGpuStatus } from './clusterStatus';
import { computeWarmPool } from './warmPool';
import { gpuNodeFixture, podFixture } from '../testing/snapshotFixtures';

describe('computeClusterFigures', () => {
  it('records whole GPUs apart from MIG slices, the headroom and the compliance score', () => {
    const snapshot = {
      nodes: [
        gpuNodeFixture('a', { gpuAllocatable: { 'nvidia.com/gpu': 8 } }),
        gpuNodeFixture('mig', {
          gpuAllocatable: { 'nvidia.com/mig-1g.5gb': 28 },
        }),
        gpuNodeFixture('down', {
          ready: false,
          gpuAllocatable: { 'nvidia.com/gpu': 2 },
        }),
      ],
      pods: [
        podFixture('pause', {
          nodeName: 'a',
          priority: -1,
          gpuRequests: { 'nvidia.com/gpu': 2 },
        }),
        podFixture('w', {
          nodeName: 'a',
          gpuRequests: { 'nvidia.com/gpu': 1 },
        }),
        podFixture('p', { gpuRequests: { 'nvidia.com/gpu': 1 } }),
      ],
      scaleSchedules: [],
    };
    const now = new Date('2026-11-24T07:00:00Z');
    const figures = computeClusterFigures(
      computeClusterGpuStatus(snapshot),
      computeWarmPool(snapshot, now),
      0.75,
    );
    expect(figures).toEqual({
      headroom: 0.2,
      placeholderGpus: 2,
      gpusAllocatable: 10,
      gpusRequested: 3,
      gpusFree: 5,
      nodesReady: 2,
      gpuNodesReady: 2,
      pendingGpuPods: 1,
      complianceScore: 0.75,
    });
  });
});
