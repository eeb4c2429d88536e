import type {
  ClusterDetail,
  ClusterOverview,
  FleetCompliance,
} from '@internal/plugin-omnivision-common';
import { COMPLIANCE_CONTROLS } from '@internal/plugin-omnivision-common';

/** A healthy cluster as `/api/omnivision/fleet` answers it, with overrides. */
export function clusterFixture(
  name: string,
  region: string,
  overrides: Partial<ClusterOverview> = {},
): ClusterOverview {
  return {
    name,
    region,
    cloud: name.startsWith('gke') ? 'gcp' : 'aws',
    health: {
      reachable: true,
      synced: true,
      stale: false,
      lastContact: '2026-11-24T08:00:00.000Z',
      dataAgeSeconds: 1,
      roundTripMs: 3,
      kubernetesVersion: 'v1.31.2',
      resourceErrors: [],
    },
    gpu: {
      nodesTotal: 27,
      nodesReady: 27,
      gpuNodes: 24,
      gpuNodesReady: 24,
      pendingGpuPods: 0,
      gpus: [
        {
          product: 'NVIDIA-A10G',
          resource: 'nvidia.com/gpu',
          nodes: 10,
          allocatable: 40,
          requested: 18,
          free: 22,
        },
        {
          product: 'NVIDIA-A100-SXM4-40GB',
          resource: 'nvidia.com/mig-1g.5gb',
          nodes: 1,
          allocatable: 56,
          requested: 7,
          free: 49,
        },
      ],
    },
    warmPool: {
      placeholdersRunning: 8,
      placeholdersPending: 0,
      placeholderGpus: 8,
      allocatableGpus: 40,
      headroom: 0.2,
      targetHeadroom: 0.2,
      meetsHeadroomTarget: true,
      readyGpuNodes: 24,
      baselineGpuNodes: 20,
      meetsBaseline: true,
      bufferExhausted: false,
      scaleSchedules: [
        {
          name: 'gpu-scale-up-0800',
          schedule: '0 8 * * *',
          timeZone: 'America/Los_Angeles',
          targetGpuNodes: 100,
          nextRun: '2026-11-25T16:00:00.000Z',
          suspended: false,
        },
      ],
    },
    compliance: { score: 1, compliant: true, failing: [], unknown: [] },
    modelsRunning: 1,
    ...overrides,
  };
}

export function clusterDetailFixture(name: string): ClusterDetail {
  return {
    ...clusterFixture(name, 'us-west-2'),
    gpuNodes: [
      {
        name: 'ip-10-0-0-1',
        product: 'NVIDIA-A10G',
        placement: 'gpu-a10g',
        allocatable: { 'nvidia.com/gpu': 4 },
        requested: { 'nvidia.com/gpu': 3 },
        placeholderPods: 1,
        placeholderGpus: 1,
        ready: true,
        cordoned: false,
        problems: [],
      },
      {
        name: 'ip-10-0-0-2',
        product: 'NVIDIA-A10G',
        placement: 'gpu-a10g',
        allocatable: { 'nvidia.com/gpu': 4 },
        requested: {},
        placeholderPods: 0,
        placeholderGpus: 0,
        ready: false,
        cordoned: true,
        problems: ['Ready=False', 'DiskPressure=True'],
      },
    ],
    pendingGpuPods: [
      {
        namespace: 'warm-pool',
        name: 'gpu-placeholder-9',
        gpuRequests: { 'nvidia.com/gpu': 1 },
        placeholder: true,
        createdAt: '2026-11-24T07:59:00.000Z',
      },
    ],
    complianceControls: COMPLIANCE_CONTROLS.map(c => ({
      id: c.id,
      title: c.title,
      status: c.id === 'mtls' ? 'fail' : 'pass',
      evidence:
        c.id === 'mtls'
          ? ['omnivision/legacy sets mTLS PERMISSIVE']
          : ['all good'],
    })),
    deployments: [
      {
        model: 'vidgen-xl',
        cluster: name,
        rolloutPhase: 'Progressing',
        canaryStep: 1,
        canarySteps: 4,
        canaryWeight: 5,
        readyReplicas: 2,
        replicas: 2,
        syncStatus: 'Synced',
        healthStatus: 'Progressing',
        revision: 'abcdef1234567',
      },
    ],
  };
}

export function complianceFixture(): FleetCompliance {
  const controls = (failing: string) =>
    COMPLIANCE_CONTROLS.map(c => ({
      id: c.id,
      title: c.title,
      status: (c.id === failing ? 'fail' : 'pass') as 'fail' | 'pass',
      evidence:
        c.id === failing
          ? [
              'critical: registry/worker@sha256:1 has CVE-2026-0001 (CRITICAL) in openssl',
            ]
          : ['ok'],
    }));
  return {
    generatedAt: '2026-11-24T08:00:00.000Z',
    clusters: [
      {
        ...clusterFixture('eks-us-west-2', 'us-west-2'),
        compliance: { controls: controls('none'), score: 1, compliant: true },
      },
      {
        ...clusterFixture('gke-europe-west1', 'europe-west1'),
        compliance: {
          controls: controls('vulnerabilities'),
          score: 0.875,
          compliant: false,
        },
      },
    ].map(({ name, cloud, region, health, compliance }) => ({
      name,
      cloud,
      region,
      health,
      compliance,
    })),
  };
}
