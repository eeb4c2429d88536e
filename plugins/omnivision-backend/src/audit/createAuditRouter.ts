import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AUDIT_ACTIONS,
  omnivisionAuditReadPermission,
} from '@internal/plugin-omnivision-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { PermissionDecisionCache } from '../services/PermissionDecisionCache';
import { parseInput } from '../services/parseInput';
import type { AuditTrail } from './AuditTrail';
import { auditCsv } from './auditCsv';

const auditQuery = z
  .object({
    actor: z.string().max(255).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    outcome: z.enum(['succeeded', 'refused']).optional(),
    pullRequest: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

/** What the audit trail's route is built from. */
export interface AuditRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditTrail;
}

/**
 * The audit trail's route under `/api/omnivision` (documented in `src/schema/openapi.yaml`):
 * `GET /audit`, filtered by actor, action, outcome, pull request and time, as JSON or as a CSV
 * download. A person's credentials only, holding `omnivision.audit.read`.
 */
export async function createAuditRouter(
  options: AuditRouterOptions,
): Promise<express.Router> {
  const { httpAuth, audit } = options;
  const router = Router();
  const decisions = PermissionDecisionCache.create({
    permissions: options.permissions,
  });

  router.get('/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = parseInput(auditQuery, req.query, 'audit query');
    await decisions.assertAllowed(
      omnivisionAuditReadPermission,
      credentials,
      'only platform-team and security may read the audit trail',
    );
    const events = await audit.query({
      actor: query.actor,
      action: query.action,
      outcome: query.outcome,
      pullRequestNumber: query.pullRequest,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    });
    if (query.format === 'csv') {
      res
        .type('text/csv')
        .attachment('omnivision-audit.csv')
        .send(auditCsv(events));
      return;
    }
    res.json({ items: events });
  });

  return router;
}
