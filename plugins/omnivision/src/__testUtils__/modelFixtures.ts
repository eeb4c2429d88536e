import type {
  ModelMatrix,
  ModelMatrixCell,
  ModelMatrixRow,
} from '@internal/plugin-omnivision-common';

/** A region's cell of the matrix: a healthy deployment of version 2.1.0 on one A100. */
export function matrixCellFixture(
  region: string,
  overrides: Partial<ModelMatrixCell> = {},
): ModelMatrixCell {
  return {
    region,
    cluster: region === 'us-west-2' ? 'eks-us-west-2' : 'gke-europe-west1',
    deployed: true,
    stale: false,
    health: 'healthy',
    rolloutPhase: 'Healthy',
    healthStatus: 'Healthy',
    running: { digest: `sha256:${'b'.repeat(64)}`, version: '2.1.0' },
    canaryStep: 4,
    canarySteps: 4,
    canaryWeight: 0,
    readyReplicas: 1,
    replicas: 1,
    serving: true,
    gpus: { 'nvidia.com/gpu': 1 },
    gpuCount: 1,
    hourlyCostUsd: 4.1,
    unpricedPods: 0,
    ...overrides,
  };
}

/** A model's row of the matrix, with its cells. */
export function matrixRowFixture(
  model: string,
  cells: ModelMatrixCell[],
  overrides: Partial<ModelMatrixRow> = {},
): ModelMatrixRow {
  const servingRegions = cells.filter(c => c.serving).map(c => c.region);
  return {
    model,
    entityRef: `resource:default/${model}`,
    owner: 'group:default/data-science',
    health: 'healthy',
    cells,
    servingRegions,
    survivesRegionLoss: servingRegions.length >= 2,
    gpuCount: cells.reduce((s, c) => s + c.gpuCount, 0),
    hourlyCostUsd: cells.reduce((s, c) => s + c.hourlyCostUsd, 0),
    ...overrides,
  };
}

/** `GET /models` over the two regions of app-config.yaml. */
export function matrixFixture(models: ModelMatrixRow[]): ModelMatrix {
  return {
    generatedAt: '2026-12-04T12:00:00.000Z',
    regions: [
      {
        region: 'us-west-2',
        cluster: 'eks-us-west-2',
        cloud: 'aws',
        stale: false,
      },
      {
        region: 'europe-west1',
        cluster: 'gke-europe-west1',
        cloud: 'gcp',
        stale: false,
      },
    ],
    teams: ['group:default/avatar-team', 'group:default/data-science'],
    models,
  };
}
