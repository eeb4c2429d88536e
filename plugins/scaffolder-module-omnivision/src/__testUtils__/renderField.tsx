import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  omnivisionApiRef,
  OmniVisionClient,
} from '@internal/plugin-omnivision';

export const API = 'http://localhost:7007/api/omnivision';

const config = {
  omnivision: {
    regions: [
      {
        id: 'us-west-2',
        cluster: 'eks-us-west-2',
        cloud: 'aws',
        gitopsFolder: 'infrastructure/cluster-aws',
      },
      {
        id: 'europe-west1',
        cluster: 'gke-europe-west1',
        cloud: 'gcp',
        gitopsFolder: 'infrastructure/cluster-gcp',
      },
    ],
    gpuProfiles: [
      {
        id: 'a100-40gb-1',
        title: '1 × A100 40 GB',
        gpuProduct: 'NVIDIA-A100-SXM4-40GB',
        gpusPerReplica: 1,
        gpuMemoryGiB: 40,
        placement: { aws: 'gpu-a100', gcp: 'nvidia-tesla-a100' },
        hourlyPriceUsd: { 'us-west-2': 4.1, 'europe-west1': 3.93 },
      },
      {
        id: 'a10g-1',
        title: '1 × A10G 24 GB',
        gpuProduct: 'NVIDIA-A10G',
        gpusPerReplica: 1,
        gpuMemoryGiB: 24,
        placement: { aws: 'gpu-a10g' },
        hourlyPriceUsd: { 'us-west-2': 1.21 },
      },
    ],
  },
};

/** Renders a form field with the config above and the real client, which msw answers. */
export function renderField(element: JSX.Element) {
  return renderInTestApp(element, {
    config,
    apis: [
      [
        omnivisionApiRef,
        new OmniVisionClient(
          mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
          {
            fetch: (input, init) => fetch(input, init),
          },
        ),
      ],
    ],
  });
}

/** A cluster of the fleet with free GPUs of one product, for the pickers' live figures. */
export function clusterWith(
  name: string,
  reachable: boolean,
  gpus: Array<{ product: string; free: number }>,
) {
  return {
    name,
    region: name,
    cloud: 'aws',
    health: { reachable, synced: true, stale: !reachable, resourceErrors: [] },
    gpu: {
      nodesTotal: 1,
      nodesReady: 1,
      gpuNodes: 1,
      gpuNodesReady: 1,
      pendingGpuPods: 0,
      gpus: gpus.map(g => ({
        product: g.product,
        resource: 'nvidia.com/gpu',
        nodes: 1,
        allocatable: 32,
        requested: 32 - g.free,
        free: g.free,
      })),
    },
    warmPool: { headroom: 0.21 },
    compliance: { score: 1, compliant: true, failing: [], unknown: [] },
    modelsRunning: 0,
  };
}
