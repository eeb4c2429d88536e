import { computeWarmPool } from './warmPool';
import { gpuNodeFixture, podFixture } from '../testing/snapshotFixtures';

const now = new Date('2026-11-22T15:30:00Z');

function placeholder(name: string, nodeName?: string) {
  return podFixture(name, {
    namespace: 'warm-pool',
    nodeName,
    phase: nodeName ? 'Running' : 'Pending',
    priority: -1,
    gpuRequests: { 'nvidia.com/gpu': 1 },
    images: ['registry.k8s.io/pause:3.9'],
  });
}

describe('computeWarmPool', () => {
  const nodes = Array.from({ length: 20 }, (_, i) => gpuNodeFixture(`n${i}`)); // 80 GPUs
  const schedules = [
    {
      namespace: 'warm-pool',
      name: 'morning',
      schedule: '0 8 * * *',
      timeZone: 'America/Los_Angeles',
      targetGpuNodes: 100,
      suspended: false,
    },
    {
      namespace: 'warm-pool',
      name: 'paused',
      schedule: '0 20 * * *',
      suspended: true,
    },
  ];

  it('measures headroom held by placeholders against the 20% target and the baseline', () => {
    const pods = [
      ...Array.from({ length: 16 }, (_, i) => placeholder(`p${i}`, `n${i}`)),
      podFixture('worker', {
        nodeName: 'n0',
        gpuRequests: { 'nvidia.com/gpu': 2 },
      }),
    ];
    const status = computeWarmPool(
      { nodes, pods, scaleSchedules: schedules },
      now,
    );
    expect(status).toMatchObject({
      placeholdersRunning: 16,
      placeholdersPending: 0,
      placeholderGpus: 16,
      allocatableGpus: 80,
      headroom: 0.2,
      meetsHeadroomTarget: true,
      readyGpuNodes: 20,
      meetsBaseline: true,
      bufferExhausted: false,
    });
    expect(status.scaleSchedules).toEqual([
      {
        name: 'morning',
        schedule: '0 8 * * *',
        timeZone: 'America/Los_Angeles',
        targetGpuNodes: 100,
        nextRun: '2026-11-22T16:00:00.000Z',
        suspended: false,
      },
      {
        name: 'paused',
        schedule: '0 20 * * *',
        timeZone: 'UTC',
        targetGpuNodes: undefined,
        nextRun: undefined,
        suspended: true,
      },
    ]);
  });

  it('reports an exhausted buffer, missed target and missed baseline', () => {
    const fewer = nodes
      .slice(0, 18)
      .concat(gpuNodeFixture('down', { ready: false }));
    const pods = [
      placeholder('p0', 'n0'),
      placeholder('p1'),
      placeholder('p2'),
    ];
    const status = computeWarmPool(
      { nodes: fewer, pods, scaleSchedules: [] },
      now,
    );
    expect(status).toMatchObject({
      placeholdersRunning: 1,
      placeholdersPending: 2,
      placeholderGpus: 1,
      meetsHeadroomTarget: false,
      readyGpuNodes: 18,
      meetsBaseline: false,
      bufferExhausted: true,
    });
  });

  it('honours a configured policy and a cluster without GPUs', () => {
    expect(
      computeWarmPool({ nodes: [], pods: [], scaleSchedules: [] }, now, {
        targetHeadroom: 0.3,
        baselineGpuNodes: 2,
      }),
    ).toMatchObject({
      headroom: 0,
      targetHeadroom: 0.3,
      meetsHeadroomTarget: false,
      baselineGpuNodes: 2,
      meetsBaseline: false,
    });
  });
});
