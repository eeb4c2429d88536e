import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  omnivisionApiRef,
  OmniVisionClient,
} from '@internal/plugin-omnivision-react';
import { deploymentConfigFixture } from '@internal/plugin-omnivision-common/testUtils';

export const API = 'http://localhost:7007/api/omnivision';

/** The regions of app-config.yaml, and two of its profiles: one in both clouds, one AWS only. */
const config = {
  omnivision: deploymentConfigFixture({
    profileIds: ['a100-40gb-1', 'a10g-1'],
  }),
};

/**
 * Renders a form field with the config above and the real client, which msw answers; `apis`
 * adds more APIs of the app (e.g. the catalog's).
 */
export function renderField(
  element: JSX.Element,
  options: {
    apis?: Parameters<typeof renderInTestApp>[1] extends infer O
      ? O extends { apis?: infer A }
        ? A
        : never
      : never;
  } = {},
) {
  return renderInTestApp(element, {
    config,
    apis: [
      ...(options.apis ?? []),
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
