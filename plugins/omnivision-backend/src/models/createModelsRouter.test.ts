import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ModelMatrix,
  ModelVersion,
  RegionalModelDeployment,
} from '@internal/plugin-omnivision-common';
import {
  PROFILES,
  VERSIONS,
  regionalDeploymentFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import express from 'express';
import request from 'supertest';
import { serveDocument } from '../services/servedDocument';
import { createModelsRouter } from './createModelsRouter';

const REPO = 'registry.omnivision.ai/models/vidgen-xl';

function model(name: string, owner: string, versions?: ModelVersion[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', title: name.toUpperCase() },
    spec: {
      type: 'ai-model',
      owner,
      // Plain data, as the catalog holds it.
      model: JSON.parse(JSON.stringify({ versions })),
    },
  };
}

const ENTITIES: Entity[] = [
  model('vidgen-xl', 'data-science', VERSIONS),
  model('lipsync', 'avatar-team'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'eks-us-west-2', namespace: 'default' },
    spec: { type: 'kubernetes-cluster', owner: 'platform-team' },
  },
];

const deployment = (
  region: string,
  overrides: Partial<RegionalModelDeployment> = {},
) =>
  regionalDeploymentFixture('vidgen-xl', region, {
    readyReplicas: 1,
    replicas: 1,
    stableImage: `${REPO}@${VERSIONS[1].imageDigest}`,
    ...overrides,
  });

const fleet = {
  regionSnapshots: () => [
    {
      region: 'us-west-2',
      cluster: 'eks-us-west-2',
      cloud: 'aws' as const,
      stale: false,
      nodes: [
        {
          name: 'gpu-1',
          ready: true,
          unschedulable: false,
          placement: 'gpu-a100',
          gpuProduct: 'NVIDIA-A100-SXM4-40GB',
          gpuAllocatable: { 'nvidia.com/gpu': 8 },
        },
      ],
      pods: [
        {
          namespace: 'omnivision-models',
          name: 'vidgen-xl-1',
          nodeName: 'gpu-1',
          phase: 'Running',
          priority: 0,
          gpuRequests: { 'nvidia.com/gpu': 1 },
          labels: { 'omnivision.ai/model': 'vidgen-xl' },
          images: [`${REPO}@${VERSIONS[1].imageDigest}`],
        },
      ],
    },
    {
      region: 'europe-west1',
      cluster: 'gke-europe-west1',
      cloud: 'gcp' as const,
      stale: false,
      nodes: [],
      pods: [],
    },
  ],
  allModelDeployments: () => [
    deployment('us-west-2'),
    deployment('europe-west1', {
      rolloutPhase: 'Degraded',
      canaryImage: `${REPO}@${VERSIONS[0].imageDigest}`,
      abortReason: 'gpu-health-check failed at step 1',
    }),
  ],
};

async function app(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const permissions = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result })),
  });
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const router = await createModelsRouter({
    httpAuth: mockServices.httpAuth(),
    permissions,
    catalog,
    fleet,
    documents: { document: (_key, build) => serveDocument(build()) },
    profiles: PROFILES,
  });
  return {
    server: express().use(router).use(mockErrorHandler()),
    permissions,
  };
}

describe('GET /models', () => {
  it('answers one row per ai-model of the catalog, one cell per region', async () => {
    const { server } = await app();
    const res = await request(server)
      .get('/models')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    const matrix = res.body as ModelMatrix;
    expect(matrix.regions.map(r => r.region)).toEqual([
      'us-west-2',
      'europe-west1',
    ]);
    expect(matrix.models.map(m => [m.model, m.entityRef, m.owner])).toEqual([
      ['lipsync', 'resource:default/lipsync', 'group:default/avatar-team'],
      ['vidgen-xl', 'resource:default/vidgen-xl', 'group:default/data-science'],
    ]);
    const vidgen = matrix.models[1];
    expect(vidgen.health).toBe('degraded');
    expect(vidgen.servingRegions).toEqual(['us-west-2', 'europe-west1']);
    expect(vidgen.survivesRegionLoss).toBe(true);
    const [us, eu] = vidgen.cells;
    expect(us).toMatchObject({
      running: { version: '2.1.0' },
      gpuCount: 1,
      hourlyCostUsd: 4.1,
      health: 'healthy',
    });
    expect(eu).toMatchObject({
      running: { version: '2.1.0' },
      canary: { version: '2.2.0-rc.1' },
      health: 'degraded',
      abortReason: 'gpu-health-check failed at step 1',
    });
  });

  it('filters by team and by health', async () => {
    const { server } = await app();
    const get = (query: string) =>
      request(server)
        .get(`/models?${query}`)
        .set('authorization', mockCredentials.user.header());
    const byTeam = await get('team=avatar-team');
    expect(byTeam.status).toBe(200);
    expect(byTeam.body.models.map((m: any) => m.model)).toEqual(['lipsync']);
    const byRef = await get('team=group:default/data-science&health=degraded');
    expect(byRef.body.models.map((m: any) => m.model)).toEqual(['vidgen-xl']);
    const none = await get('team=data-science&health=healthy');
    expect(none.body.models).toEqual([]);
  });

  it.each([
    [
      'health=sick',
      'invalid models query: health must be one of healthy, progressing, degraded, unknown, not-deployed',
    ],
    [
      'team=../etc',
      'invalid models query: team must be a group name (data-science) or a group entity ref (group:default/data-science)',
    ],
    ['region=us-west-2', 'invalid models query: unknown parameter region'],
    [
      'team=a&team=b',
      'invalid models query: team Expected string, received array',
    ],
  ])('refuses ?%s with 400: %s', async (query, message) => {
    const { server } = await app();
    const res = await request(server)
      .get(`/models?${query}`)
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });

  it('needs omnivision.fleet.read', async () => {
    const { server, permissions } = await app(AuthorizeResult.DENY);
    const res = await request(server)
      .get('/models')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'reading the fleet status is not allowed',
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'omnivision.fleet.read',
          }),
        },
      ],
      expect.anything(),
    );
  });
});
