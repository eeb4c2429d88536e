import { computeGpuNodeRows, listPendingGpuPods } from './gpuNodeTable';
import { gpuNodeFixture, podFixture } from '../testing/snapshotFixtures';

describe('computeGpuNodeRows', () => {
  const snapshot = {
    nodes: [
      gpuNodeFixture('b-a10g'),
      gpuNodeFixture('a-a100-mig', {
        gpuProduct: 'NVIDIA-A100-SXM4-40GB',
        gpuAllocatable: { 'nvidia.com/gpu': 0, 'nvidia.com/mig-1g.5gb': 56 },
      }),
      gpuNodeFixture('c-cordoned', {
        unschedulable: true,
        ready: false,
        problems: ['Ready=False'],
      }),
      {
        name: 'system-0',
        ready: true,
        unschedulable: false,
        gpuAllocatable: {},
      },
    ],
    pods: [
      podFixture('worker', {
        nodeName: 'b-a10g',
        gpuRequests: { 'nvidia.com/gpu': 1 },
      }),
      podFixture('pause-1', {
        namespace: 'warm-pool',
        nodeName: 'b-a10g',
        priority: -1,
        gpuRequests: { 'nvidia.com/gpu': 2 },
      }),
      podFixture('mig-job', {
        nodeName: 'a-a100-mig',
        gpuRequests: { 'nvidia.com/mig-1g.5gb': 3 },
      }),
      podFixture('done', {
        nodeName: 'b-a10g',
        phase: 'Succeeded',
        gpuRequests: { 'nvidia.com/gpu': 1 },
      }),
    ],
    scaleSchedules: [],
  };

  it('lists GPU nodes only, by product then name, with what is requested and held by placeholders', () => {
    const rows = computeGpuNodeRows(snapshot);
    expect(rows.map(r => r.name)).toEqual([
      'a-a100-mig',
      'b-a10g',
      'c-cordoned',
    ]);
    expect(rows[1]).toMatchObject({
      product: 'NVIDIA-A10G',
      allocatable: { 'nvidia.com/gpu': 4 },
      requested: { 'nvidia.com/gpu': 3 },
      placeholderPods: 1,
      placeholderGpus: 2,
      ready: true,
      cordoned: false,
    });
    expect(rows[2]).toMatchObject({
      cordoned: true,
      ready: false,
      problems: ['Ready=False'],
      requested: {},
    });
    expect(rows[0]).toMatchObject({
      allocatable: { 'nvidia.com/mig-1g.5gb': 56 },
      requested: { 'nvidia.com/mig-1g.5gb': 3 },
      placeholderPods: 0,
    });
  });
});

describe('listPendingGpuPods', () => {
  it('lists unbound active GPU pods, oldest first, telling placeholders apart', () => {
    const pending = listPendingGpuPods({
      nodes: [],
      scaleSchedules: [],
      pods: [
        podFixture('new-worker', {
          phase: 'Pending',
          gpuRequests: { 'nvidia.com/gpu': 2, cpu: 0 },
          createdAt: '2026-11-24T08:00:05Z',
        }),
        podFixture('pause', {
          namespace: 'warm-pool',
          phase: 'Pending',
          priority: -1,
          gpuRequests: { 'nvidia.com/gpu': 1 },
          createdAt: '2026-11-24T08:00:01Z',
        }),
        podFixture('cpu-only', { phase: 'Pending' }),
        podFixture('bound', {
          nodeName: 'n1',
          gpuRequests: { 'nvidia.com/gpu': 1 },
        }),
      ],
    });
    expect(pending).toEqual([
      {
        namespace: 'warm-pool',
        name: 'pause',
        gpuRequests: { 'nvidia.com/gpu': 1 },
        placeholder: true,
        createdAt: '2026-11-24T08:00:01Z',
      },
      {
        namespace: 'omnivision',
        name: 'new-worker',
        gpuRequests: { 'nvidia.com/gpu': 2 },
        placeholder: false,
        createdAt: '2026-11-24T08:00:05Z',
      },
    ]);
  });
});
