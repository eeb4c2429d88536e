import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  HISTORY_METRICS,
  MetricHistory,
  omnivisionFleetReadPermission,
} from '@internal/plugin-omnivision-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import type { DeploymentPreviewer } from './services/DeploymentPreviewer';
import type { FleetStatusService } from './services/FleetStatusService';
import type { HistoryStore } from './services/HistoryStore';
import { PermissionDecisionCache } from './services/PermissionDecisionCache';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest history one request may ask for. */
const MAX_HISTORY_RANGE_DAYS = 31;

/** Kubernetes object and model names: DNS-1123 labels. */
const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label: lower-case letters, digits and dashes',
  );

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

/** The deploy template's parameters, as the deploy form's review sends them. */
const deploymentRequest = z
  .object({
    model: z.string().min(1).max(253),
    gpuProfile: z.string().min(1).max(63),
    regions: z.array(z.string().min(1).max(63)).min(1).max(16),
    minReplicas: z.number().int(),
    maxReplicas: z.number().int(),
    rollout: z.enum(['canary', 'direct']).default('canary'),
  })
  .strict();

function parse<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const reasons = result.error.issues.map(issue =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.join(', ')}`
        : `${issue.path.join('.') || what} ${issue.message}`,
    );
    throw new InputError(`invalid ${what}: ${reasons.join('; ')}`);
  }
  return result.data;
}

/**
 * The OmniVision API under `/api/omnivision` (documented in `src/schema/openapi.yaml`).
 * Every route needs `omnivision.fleet.read` (a decision is reused for 10 s per principal);
 * fleet answers come from the watch caches. The deployment preview reads the GitOps repository
 * and writes nothing.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  fleet: FleetStatusService;
  history: HistoryStore;
  /** Absent when `omnivision.gitops` is not configured. */
  deploymentPreviewer?: DeploymentPreviewer;
}): Promise<express.Router> {
  const { httpAuth, permissions, fleet, history, deploymentPreviewer } =
    options;
  const router = Router();
  const decisions = PermissionDecisionCache.create({ permissions });

  router.use(async (req, _res, next) => {
    const allowed = await decisions.isAllowed(
      omnivisionFleetReadPermission,
      await httpAuth.credentials(req),
    );
    if (!allowed) {
      throw new NotAllowedError('reading the fleet status is not allowed');
    }
    next();
  });

  router.get('/fleet', (_req, res) => {
    res.json(fleet.fleet());
  });

  router.get('/compliance', (_req, res) => {
    res.json(fleet.compliance());
  });

  router.get('/clusters/:name', (req, res) => {
    res.json(fleet.cluster(parse(dnsLabel, req.params.name, 'cluster name')));
  });

  router.get('/clusters/:name/warm-pool', (req, res) => {
    res.json(fleet.warmPool(parse(dnsLabel, req.params.name, 'cluster name')));
  });

  router.get('/models/:name/deployments', (req, res) => {
    res.json(
      fleet.modelDeployments(parse(dnsLabel, req.params.name, 'model name')),
    );
  });

  router.get('/history', async (req, res) => {
    const query = parse(historyQuery, req.query, 'history query');
    // An unknown cluster is a 404, as everywhere else.
    fleet.warmPool(query.cluster);
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

  router.post(
    '/deployments/preview',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      // The requester's team quota decides: only a person can ask.
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const request = parse(deploymentRequest, req.body, 'deployment request');
      if (!deploymentPreviewer) {
        throw new ServiceUnavailableError(
          'deployment previews need omnivision.gitops in the app config',
        );
      }
      res.json(await deploymentPreviewer.preview(request, credentials));
    },
  );

  return router;
}
