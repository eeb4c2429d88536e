import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GpuProfile,
  MODEL_HEALTH,
  ModelCatalogEntry,
  computeModelMatrix,
  omnivisionFleetReadPermission,
  readModelVersions,
} from '@internal/plugin-omnivision-common';
import { createHash } from 'node:crypto';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import type { FleetDocuments } from '../fleet/FleetDocuments';
import type { FleetStatusService } from '../fleet/FleetStatusService';
import { sendDocument } from '../services/servedDocument';
import { parseInput } from '../services/parseInput';
import { PermissionDecisionCache } from '../services/PermissionDecisionCache';

const modelsQuery = z
  .object({
    team: z
      .string()
      .regex(
        /^([a-z]+:)?([a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]{0,62}$/i,
        'must be a group name (data-science) or a group entity ref (group:default/data-science)',
      )
      .optional(),
    health: z
      .enum(MODEL_HEALTH, {
        errorMap: () => ({
          message: `must be one of ${MODEL_HEALTH.join(', ')}`,
        }),
      })
      .optional(),
  })
  .strict();

/** What the models' routes are built from. */
export interface ModelsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  fleet: Pick<FleetStatusService, 'allModelDeployments' | 'regionSnapshots'>;
  /** Where the matrix is kept between changes of the fleet or of the models read. */
  documents: Pick<FleetDocuments, 'document'>;
  /** The GPU profiles (config `omnivision.gpuProfiles`), for the price of the GPUs held. */
  profiles: GpuProfile[];
}

/**
 * `GET /models` (documented in `src/schema/openapi.yaml`): the model × region matrix, one row per
 * ai-model of the catalog (read as the caller) and one cell per region of the fleet, from the
 * watch caches; `team` and `health` filter the rows. Needs `omnivision.fleet.read`. The catalog
 * is read on every request, as the caller; the matrix is computed once per change of the fleet,
 * of the models read or of the filter, and answered with an `ETag` (`304` to `If-None-Match`).
 */
export async function createModelsRouter(
  options: ModelsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, fleet, documents, profiles } = options;
  const router = Router();
  const decisions = PermissionDecisionCache.create({
    permissions: options.permissions,
  });

  router.get('/models', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await decisions.assertAllowed(
      omnivisionFleetReadPermission,
      credentials,
      'reading the fleet status is not allowed',
    );
    const filter = parseInput(modelsQuery, req.query, 'models query');
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Resource', 'spec.type': 'ai-model' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.owner',
          'spec.model.versions',
        ],
      },
      { credentials },
    );
    const models = items.map(
      (entity): ModelCatalogEntry => ({
        name: entity.metadata.name,
        title: entity.metadata.title,
        entityRef: stringifyEntityRef(entity),
        owner: String(entity.spec?.owner ?? ''),
        // A model whose versions break the schema shows its digests without versions.
        versions: readModelVersions(
          (entity.spec?.model as { versions?: unknown } | undefined)?.versions,
        ).versions,
      }),
    );
    // Who sees which models is the catalog's to say: the matrix is kept per models read.
    const key = createHash('sha1')
      .update(JSON.stringify({ models, filter }))
      .digest('base64url');
    const matrix = documents.document(`models?${key}`, () =>
      computeModelMatrix({
        generatedAt: new Date().toISOString(),
        models,
        regions: fleet.regionSnapshots(),
        deployments: fleet.allModelDeployments(),
        profiles,
        filter,
      }),
    );
    sendDocument(req, res, matrix);
  });

  return router;
}
