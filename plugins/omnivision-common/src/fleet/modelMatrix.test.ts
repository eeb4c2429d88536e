import { PROFILES, VERSIONS } from '../testing/deploymentFixtures';
import { regionalDeploymentFixture } from '../testing/modelDeploymentFixtures';
import type { NodeSummary, PodSummary } from './ClusterSnapshot';
import type { RegionalModelDeployment } from './FleetStatus';
import {
  ModelCatalogEntry,
  ModelMatrixInput,
  ModelMatrixRegion,
  computeModelMatrix,
  modelImageVersion,
  ownerEntityRef,
} from './modelMatrix';

const REPO = 'registry.omnivision.ai/models/vidgen-xl';
const V200 = `${REPO}@${VERSIONS[2].imageDigest}`;
const V210 = `${REPO}@${VERSIONS[1].imageDigest}`;
const UNLISTED = `${REPO}@sha256:${'d'.repeat(64)}`;

function node(name: string, placement: string, gpuProduct: string) {
  return {
    name,
    ready: true,
    unschedulable: false,
    placement,
    gpuProduct,
    gpuAllocatable: { 'nvidia.com/gpu': 8 },
  } satisfies NodeSummary;
}

function pod(model: string, overrides: Partial<PodSummary> = {}): PodSummary {
  return {
    namespace: 'omnivision-models',
    name: `${model}-${Math.random().toString(36).slice(2, 8)}`,
    nodeName: 'a100-node',
    phase: 'Running',
    priority: 0,
    gpuRequests: { 'nvidia.com/gpu': 1 },
    labels: { 'omnivision.ai/model': model },
    images: [V200],
    ...overrides,
  };
}

function region(
  name: 'us-west-2' | 'europe-west1',
  pods: PodSummary[],
  stale = false,
): ModelMatrixRegion {
  const aws = name === 'us-west-2';
  return {
    region: name,
    cluster: aws ? 'eks-us-west-2' : 'gke-europe-west1',
    cloud: aws ? 'aws' : 'gcp',
    stale,
    nodes: [
      node(
        'a100-node',
        aws ? 'gpu-a100' : 'nvidia-tesla-a100',
        'NVIDIA-A100-SXM4-40GB',
      ),
      node('a10g-node', 'gpu-a10g', 'NVIDIA-A10G'),
      node('mig-node', 'gpu-a100-mig', 'NVIDIA-A100-SXM4-40GB'),
    ],
    pods,
  };
}

const deployment = (
  model: string,
  regionName: 'us-west-2' | 'europe-west1',
  overrides: Partial<RegionalModelDeployment> = {},
) => regionalDeploymentFixture(model, regionName, overrides);

const MODELS: ModelCatalogEntry[] = [
  {
    name: 'vidgen-xl',
    title: 'Video generation XL',
    entityRef: 'resource:default/vidgen-xl',
    owner: 'data-science',
    versions: VERSIONS,
  },
  {
    name: 'lipsync',
    entityRef: 'resource:default/lipsync',
    owner: 'group:default/avatar-team',
  },
];

function input(overrides: Partial<ModelMatrixInput> = {}): ModelMatrixInput {
  return {
    generatedAt: '2026-12-04T12:00:00.000Z',
    models: MODELS,
    regions: [
      region('us-west-2', [pod('vidgen-xl'), pod('vidgen-xl')]),
      region('europe-west1', [pod('vidgen-xl')]),
    ],
    deployments: [
      deployment('vidgen-xl', 'us-west-2', { stableImage: V200 }),
      deployment('vidgen-xl', 'europe-west1', { readyReplicas: 1 }),
    ],
    profiles: PROFILES,
    ...overrides,
  };
}

describe('modelImageVersion', () => {
  it('maps a digest to the catalog version, and keeps an unlisted digest without one', () => {
    expect(modelImageVersion(V210, VERSIONS)).toEqual({
      digest: VERSIONS[1].imageDigest,
      version: '2.1.0',
    });
    expect(modelImageVersion(UNLISTED, VERSIONS)).toEqual({
      digest: `sha256:${'d'.repeat(64)}`,
      version: undefined,
    });
    expect(modelImageVersion(`${REPO}:latest`, VERSIONS)).toEqual({});
    expect(modelImageVersion(undefined, VERSIONS)).toBeUndefined();
  });
});

describe('ownerEntityRef', () => {
  it('reads a bare owner as a group of the default namespace', () => {
    expect(ownerEntityRef('Data-Science')).toBe('group:default/data-science');
    expect(ownerEntityRef('ops/sre')).toBe('group:ops/sre');
    expect(ownerEntityRef('user:default/maya-chen')).toBe(
      'user:default/maya-chen',
    );
  });
});

describe('computeModelMatrix', () => {
  it('gives one row per catalog model and one cell per region, in order', () => {
    const matrix = computeModelMatrix(input());
    expect(matrix.regions.map(r => r.region)).toEqual([
      'us-west-2',
      'europe-west1',
    ]);
    expect(matrix.models.map(r => r.model)).toEqual(['lipsync', 'vidgen-xl']);
    const lipsync = matrix.models[0];
    expect(lipsync.health).toBe('not-deployed');
    expect(lipsync.owner).toBe('group:default/avatar-team');
    expect(lipsync.cells.map(c => [c.region, c.deployed, c.health])).toEqual([
      ['us-west-2', false, 'not-deployed'],
      ['europe-west1', false, 'not-deployed'],
    ]);
    expect(matrix.teams).toEqual([
      'group:default/avatar-team',
      'group:default/data-science',
    ]);
  });

  it("maps the running image to the catalog's version, from the Rollout or else the pods", () => {
    const [us, eu] = computeModelMatrix(input()).models[1].cells;
    expect(us.running).toEqual({
      digest: VERSIONS[2].imageDigest,
      version: '2.0.0',
    });
    // No stable image from the Rollout in europe-west1: the pods all run 2.0.0.
    expect(eu.running?.version).toBe('2.0.0');
  });

  it('shows the version Git wants, the canary, its step and weight, drift and an abort', () => {
    const matrix = computeModelMatrix(
      input({
        deployments: [
          deployment('vidgen-xl', 'us-west-2', {
            rolloutPhase: 'Degraded',
            healthStatus: 'Degraded',
            wantedImage: V210,
            stableImage: V200,
            canaryImage: V210,
            canaryStep: 1,
            canaryWeight: 25,
            abortReason:
              'gpu-health-check failed at step 1: [50] breaks result[0] > 0',
            drift: 'Git wants 2.1.0, 2.0.0 runs',
          }),
        ],
      }),
    );
    const row = matrix.models[1];
    const us = row.cells[0];
    expect(us.wanted?.version).toBe('2.1.0');
    expect(us.running?.version).toBe('2.0.0');
    expect(us.canary?.version).toBe('2.1.0');
    expect([us.canaryStep, us.canarySteps, us.canaryWeight]).toEqual([
      1, 4, 25,
    ]);
    expect(us.drift).toBe('Git wants 2.1.0, 2.0.0 runs');
    expect(us.abortReason).toMatch(/gpu-health-check failed/);
    expect(us.health).toBe('degraded');
    // The stable version keeps serving while the canary is aborted.
    expect(us.serving).toBe(true);
    expect(row.health).toBe('degraded');
  });

  it.each([
    [{ rolloutPhase: 'Healthy', healthStatus: 'Healthy' }, 'healthy'],
    [{ rolloutPhase: 'Healthy', healthStatus: 'Unknown' }, 'healthy'],
    [{ rolloutPhase: 'Paused', healthStatus: 'Suspended' }, 'progressing'],
    [{ rolloutPhase: 'Progressing', healthStatus: 'Healthy' }, 'progressing'],
    [{ rolloutPhase: 'Healthy', healthStatus: 'Missing' }, 'degraded'],
    [{ rolloutPhase: 'Degraded', healthStatus: 'Healthy' }, 'degraded'],
    [{ stale: true }, 'unknown'],
  ] as const)('a deployment %j is %s', (overrides, health) => {
    const matrix = computeModelMatrix(
      input({
        deployments: [deployment('vidgen-xl', 'us-west-2', overrides)],
      }),
    );
    expect(matrix.models[1].cells[0].health).toBe(health);
    expect(matrix.models[1].health).toBe(health);
  });

  it('takes the worst region as the row health', () => {
    const matrix = computeModelMatrix(
      input({
        deployments: [
          deployment('vidgen-xl', 'us-west-2'),
          deployment('vidgen-xl', 'europe-west1', {
            rolloutPhase: 'Progressing',
          }),
        ],
      }),
    );
    expect(matrix.models[1].cells.map(c => c.health)).toEqual([
      'healthy',
      'progressing',
    ]);
    expect(matrix.models[1].health).toBe('progressing');
  });

  it('counts the GPUs of the scheduled pods of the model, at their profile price in the region', () => {
    const matrix = computeModelMatrix(
      input({
        regions: [
          region('us-west-2', [
            pod('vidgen-xl'),
            pod('vidgen-xl'),
            pod('vidgen-xl', {
              nodeName: 'a10g-node',
              gpuRequests: { 'nvidia.com/gpu': 1 },
            }),
            pod('vidgen-xl', {
              nodeName: 'mig-node',
              gpuRequests: { 'nvidia.com/mig-1g.5gb': 1 },
            }),
            // Not holding GPUs: pending, finished, a placeholder, another model.
            pod('vidgen-xl', { nodeName: undefined, phase: 'Pending' }),
            pod('vidgen-xl', { phase: 'Succeeded' }),
            pod('vidgen-xl', { priority: -10 }),
            pod('lipsync'),
          ]),
          region('europe-west1', [pod('vidgen-xl')]),
        ],
      }),
    );
    const [us, eu] = matrix.models[1].cells;
    expect(us.gpus).toEqual({
      'nvidia.com/gpu': 3,
      'nvidia.com/mig-1g.5gb': 1,
    });
    expect(us.gpuCount).toBe(4);
    expect(us.hourlyCostUsd).toBe(10.03);
    expect(us.unpricedPods).toBe(0);
    expect(eu.gpuCount).toBe(1);
    expect(eu.hourlyCostUsd).toBe(3.93);
    expect(matrix.models[1].gpuCount).toBe(5);
    expect(matrix.models[1].hourlyCostUsd).toBe(13.96);
    // lipsync is not deployed, but its stray pod's GPU is still counted.
    expect(matrix.models[0].cells[0].gpuCount).toBe(1);
  });

  it('leaves a pod that matches no GPU profile out of the cost, and counts it', () => {
    const matrix = computeModelMatrix(
      input({
        regions: [
          region('us-west-2', [
            pod('vidgen-xl', { gpuRequests: { 'nvidia.com/gpu': 2 } }),
          ]),
          region('europe-west1', []),
        ],
      }),
    );
    const us = matrix.models[1].cells[0];
    expect(us.gpuCount).toBe(2);
    expect(us.hourlyCostUsd).toBe(0);
    expect(us.unpricedPods).toBe(1);
  });

  it('says which models still serve if a region is cut off', () => {
    const matrix = computeModelMatrix(
      input({
        models: [
          ...MODELS,
          {
            name: 'upscaler-4k',
            entityRef: 'resource:default/upscaler-4k',
            owner: 'data-science',
          },
          {
            name: 'styleclip-v2',
            entityRef: 'resource:default/styleclip-v2',
            owner: 'data-science',
          },
        ],
        deployments: [
          deployment('vidgen-xl', 'us-west-2'),
          deployment('vidgen-xl', 'europe-west1'),
          deployment('upscaler-4k', 'us-west-2'),
          // Deployed in both, but nothing ready in europe-west1.
          deployment('styleclip-v2', 'us-west-2'),
          deployment('styleclip-v2', 'europe-west1', {
            readyReplicas: 0,
            rolloutPhase: 'Progressing',
          }),
        ],
      }),
    );
    const serving = Object.fromEntries(
      matrix.models.map(r => [
        r.model,
        [r.servingRegions, r.survivesRegionLoss],
      ]),
    );
    expect(serving).toEqual({
      lipsync: [[], false],
      'styleclip-v2': [['us-west-2'], false],
      'upscaler-4k': [['us-west-2'], false],
      'vidgen-xl': [['us-west-2', 'europe-west1'], true],
    });
  });

  it('does not count a region whose figures are stale as serving', () => {
    const matrix = computeModelMatrix(
      input({
        regions: [
          region('us-west-2', [pod('vidgen-xl')], true),
          region('europe-west1', [pod('vidgen-xl')]),
        ],
        deployments: [
          deployment('vidgen-xl', 'us-west-2', { stale: true }),
          deployment('vidgen-xl', 'europe-west1'),
        ],
      }),
    );
    const row = matrix.models[1];
    expect(row.servingRegions).toEqual(['europe-west1']);
    expect(row.survivesRegionLoss).toBe(false);
    expect(row.cells[0]).toMatchObject({ stale: true, health: 'unknown' });
    expect(matrix.regions[0].stale).toBe(true);
  });

  it('filters by owner team (by name or ref) and by health', () => {
    const deployments = [
      deployment('vidgen-xl', 'us-west-2'),
      deployment('lipsync', 'us-west-2', { rolloutPhase: 'Degraded' }),
    ];
    const byTeam = (team: string) =>
      computeModelMatrix(input({ deployments, filter: { team } })).models.map(
        r => r.model,
      );
    expect(byTeam('data-science')).toEqual(['vidgen-xl']);
    expect(byTeam('group:default/avatar-team')).toEqual(['lipsync']);
    expect(byTeam('nobody')).toEqual([]);

    const byHealth = computeModelMatrix(
      input({ deployments, filter: { health: 'degraded' } }),
    );
    expect(byHealth.models.map(r => r.model)).toEqual(['lipsync']);
    // The teams the filter offers stay all of them.
    expect(byHealth.teams).toHaveLength(2);
    expect(
      computeModelMatrix(
        input({
          deployments,
          filter: { team: 'data-science', health: 'degraded' },
        }),
      ).models,
    ).toEqual([]);
  });
});
