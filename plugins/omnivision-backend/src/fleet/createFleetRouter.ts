import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  HISTORY_METRICS,
  MetricHistory,
  dnsLabelSchema,
  omnivisionFleetReadPermission,
} from '@internal/plugin-omnivision-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { parseInput as parse } from '../services/parseInput';
import { PermissionDecisionCache } from '../services/PermissionDecisionCache';
import { sendDocument } from '../services/servedDocument';
import type { FleetDocuments } from './FleetDocuments';
import type { HistoryStore } from './HistoryStore';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest history one request may ask for. */
const MAX_HISTORY_RANGE_DAYS = 31;

/** Cluster and model names: DNS-1123 labels. */
const dnsLabel = dnsLabelSchema(z);

const historyQuery = z
  .object({
    cluster: dnsLabel,
    metric: z.enum(HISTORY_METRICS, {
      errorMap: () => ({
        message: `must be one of ${HISTORY_METRICS.join(', ')}`,
      }),
    }),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

/** What the fleet's routes are built from. */
export interface FleetRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  documents: FleetDocuments;
  history: HistoryStore;
}

/**
 * The fleet's routes under `/api/omnivision` (documented in `src/schema/openapi.yaml`):
 * `/fleet`, `/compliance`, `/clusters/:name`, `/clusters/:name/warm-pool`,
 * `/models/:name/deployments` and `/history`. Each needs `omnivision.fleet.read` (a decision is
 * reused for 10 s per principal). The fleet's documents are built once per change (see
 * `FleetDocuments`) and answered with an `ETag`; `If-None-Match` with it gets `304 Not Modified`.
 * The history comes from its store. No request reaches an API server.
 */
export async function createFleetRouter(
  options: FleetRouterOptions,
): Promise<express.Router> {
  const { httpAuth, documents, history } = options;
  const router = Router();
  const decisions = PermissionDecisionCache.create({
    permissions: options.permissions,
  });

  const canReadFleet: express.RequestHandler = async (req, _res, next) => {
    const allowed = await decisions.isAllowed(
      omnivisionFleetReadPermission,
      await httpAuth.credentials(req),
    );
    if (!allowed) {
      throw new NotAllowedError('reading the fleet status is not allowed');
    }
    next();
  };

  router.get('/fleet', canReadFleet, (req, res) => {
    sendDocument(req, res, documents.fleet());
  });

  router.get('/compliance', canReadFleet, (req, res) => {
    sendDocument(req, res, documents.compliance());
  });

  router.get('/clusters/:name', canReadFleet, (req, res) => {
    const name = parse(dnsLabel, req.params.name, 'cluster name');
    sendDocument(req, res, documents.cluster(name));
  });

  router.get('/clusters/:name/warm-pool', canReadFleet, (req, res) => {
    const name = parse(dnsLabel, req.params.name, 'cluster name');
    sendDocument(req, res, documents.warmPool(name));
  });

  router.get('/models/:name/deployments', canReadFleet, (req, res) => {
    const model = parse(dnsLabel, req.params.name, 'model name');
    sendDocument(req, res, documents.modelDeployments(model));
  });

  router.get('/history', canReadFleet, async (req, res) => {
    const query = parse(historyQuery, req.query, 'history query');
    // An unknown cluster is a 404, as everywhere else.
    documents.warmPool(query.cluster);
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from
      ? new Date(query.from)
      : new Date(to.getTime() - DAY_MS);
    if (from.getTime() >= to.getTime()) {
      throw new InputError('invalid history query: from must be before to');
    }
    if (to.getTime() - from.getTime() > MAX_HISTORY_RANGE_DAYS * DAY_MS) {
      throw new InputError(
        `invalid history query: at most ${MAX_HISTORY_RANGE_DAYS} days at once`,
      );
    }
    const body: MetricHistory = {
      cluster: query.cluster,
      metric: query.metric,
      from: from.toISOString(),
      to: to.toISOString(),
      points: await history.query({
        cluster: query.cluster,
        metric: query.metric,
        from,
        to,
      }),
    };
    res.json(body);
  });

  return router;
}
