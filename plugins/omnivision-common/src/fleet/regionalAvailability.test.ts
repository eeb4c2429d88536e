import { describeRegionalAvailability } from './regionalAvailability';
import type { ClusterOverview } from './FleetStatus';

function cluster(
  name: string,
  region: string,
  health: Partial<ClusterOverview['health']>,
  free = 10,
): ClusterOverview {
  return {
    name,
    region,
    cloud: 'aws',
    health: {
      reachable: true,
      synced: true,
      stale: false,
      resourceErrors: [],
      ...health,
    },
    gpu: {
      nodesTotal: 1,
      nodesReady: 1,
      gpuNodes: 1,
      gpuNodesReady: 1,
      pendingGpuPods: 0,
      gpus: [
        {
          product: 'A10G',
          resource: 'nvidia.com/gpu',
          nodes: 1,
          allocatable: 20,
          requested: 20 - free,
          free,
        },
        {
          product: 'A100',
          resource: 'nvidia.com/mig-1g.5gb',
          nodes: 1,
          allocatable: 56,
          requested: 0,
          free: 56,
        },
      ],
    },
    warmPool: {} as any,
    compliance: { score: 1, compliant: true, failing: [], unknown: [] },
    modelsRunning: 0,
  };
}

describe('describeRegionalAvailability', () => {
  it('says nothing when every region serves', () => {
    const a = describeRegionalAvailability([
      cluster('eks', 'us-west-2', {}),
      cluster('gke', 'europe-west1', {}),
    ]);
    expect(a.message).toBeUndefined();
    expect(a.serving.map(s => s.region)).toEqual(['us-west-2', 'europe-west1']);
  });

  it('names the region that is down and the ones that still serve, with their free GPUs', () => {
    const a = describeRegionalAvailability([
      cluster('eks', 'us-west-2', {
        reachable: false,
        stale: true,
        lastContact: '2026-11-24T08:00:00Z',
      }),
      cluster('gke', 'europe-west1', {}, 12),
    ]);
    expect(a.down).toEqual([
      { region: 'us-west-2', cluster: 'eks', since: '2026-11-24T08:00:00Z' },
    ]);
    expect(a.message).toBe(
      'us-west-2 cannot be reached. europe-west1 (12 free GPUs) still serves its users and can take deployments; users of us-west-2 are affected until it is back.',
    );
  });

  it('says when no region can be reached, and when figures are only stale', () => {
    expect(
      describeRegionalAvailability([
        cluster('eks', 'us-west-2', { reachable: false, stale: true }),
        cluster('gke', 'europe-west1', { reachable: false, stale: true }),
      ]).message,
    ).toBe(
      'No region can be reached: us-west-2 and europe-west1. New deployments wait until a region is back.',
    );
    const stale = describeRegionalAvailability([
      cluster('eks', 'us-west-2', { stale: true }),
    ]);
    expect(stale.degraded).toEqual([{ region: 'us-west-2', cluster: 'eks' }]);
    expect(stale.message).toBe(
      'us-west-2 answers but some figures are not current.',
    );
  });
});
