import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AuditAction,
  ROLLOUT_CONTROL_ACTIONS,
  dnsLabelSchema,
  omnivisionRolloutControlPermission,
} from '@internal/plugin-omnivision-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import type { AuditTrail } from '../audit/AuditTrail';
import { auditRefusals } from '../audit/auditRefusals';
import type { FleetStatusService } from '../fleet/FleetStatusService';
import { PermissionDecisionCache } from '../services/PermissionDecisionCache';
import { parseInput } from '../services/parseInput';
import { RolloutControl } from './RolloutControl';

const controlBody = z
  .object({
    action: z.enum(ROLLOUT_CONTROL_ACTIONS, {
      errorMap: () => ({
        message: `must be one of ${ROLLOUT_CONTROL_ACTIONS.join(', ')}`,
      }),
    }),
  })
  .strict();

const ROUTE = /^\/models\/([^/]+)\/rollouts\/([^/]+)\/?$/;

/** The model and region of a control's path, also where the error handler sees no params. */
function subjectOf(req: express.Request): { model?: string; region?: string } {
  const match = ROUTE.exec(req.path);
  if (!match) return {};
  try {
    const [model, region] = [match[1], match[2]].map(decodeURIComponent);
    return {
      model: model.slice(0, 253),
      region: region.slice(0, 253),
    };
  } catch {
    return {};
  }
}

/**
 * The action a control attempted, as its refusal is recorded: `rollout.<action>`, or
 * `rollout.control` for a body without a known action.
 */
function actionOf(req: express.Request): AuditAction | undefined {
  if (req.method !== 'POST' || !ROUTE.test(req.path)) return undefined;
  const action = controlBody.safeParse(req.body);
  return action.success ? `rollout.${action.data.action}` : 'rollout.control';
}

/** What the canary control's route is built from. */
export interface RolloutsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  fleet: Pick<FleetStatusService, 'regions' | 'rolloutOf'>;
  /** Where every attempt is recorded. */
  audit: Pick<AuditTrail, 'append'>;
  logger?: LoggerService;
}

/**
 * The control of a model's canary under `/api/omnivision` (documented in
 * `src/schema/openapi.yaml`): `POST /models/:name/rollouts/:region` with
 * `{ "action": "promote" | "abort" | "pause" | "resume" }`, Argo Rollouts' meaning of each. Needs
 * `omnivision.rollout.control` (the platform team); a person without it is refused with 403.
 * 400 for an unknown action or region or a malformed model name, 404 for a model with no Rollout
 * in that region. Every attempt is in the audit trail with the person, model, region, action and
 * outcome (`rollout.<action>`, or `rollout.control` for a body without a known action).
 */
export async function createRolloutsRouter(
  options: RolloutsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, fleet } = options;
  const router = Router();
  const decisions = PermissionDecisionCache.create({
    permissions: options.permissions,
  });
  const control = RolloutControl.create({ fleet, audit: options.audit });

  router.post(
    '/models/:name/rollouts/:region',
    express.json({ limit: '1kb' }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const model = parseInput(dnsLabelSchema(z), req.params.name, 'model');
      const { action } = parseInput(controlBody, req.body, 'rollout control');
      const region = req.params.region;
      if (!fleet.regions.includes(region)) {
        throw new InputError(
          `unknown region ${JSON.stringify(
            region,
          )}: the fleet's regions are ${fleet.regions.join(', ')}`,
        );
      }
      await decisions.assertAllowed(
        omnivisionRolloutControlPermission,
        credentials,
        'only platform-team may promote, abort, pause or resume a canary',
      );
      res.json(
        await control.control({
          model,
          region,
          action,
          actor: credentials.principal.userEntityRef,
        }),
      );
    },
  );

  router.use(
    auditRefusals({
      audit: options.audit,
      httpAuth,
      actionOf,
      subjectOf,
      logger: options.logger,
    }),
  );

  return router;
}
