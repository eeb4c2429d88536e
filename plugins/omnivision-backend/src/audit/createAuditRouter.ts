import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  AUDIT_ACTIONS,
  omnivisionAuditReadPermission,
} from '@internal/plugin-omnivision-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { PermissionDecisionCache } from '../services/PermissionDecisionCache';
import { parseInput } from '../services/parseInput';
import { AUDIT_PAGE_SIZE, AuditQuery, AuditTrail } from './AuditTrail';
import { auditRefusals } from './auditRefusals';
import { sendAuditEvents } from './auditExport';

const auditFilter = z.object({
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
});

const auditPageQuery = auditFilter
  .extend({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(AUDIT_PAGE_SIZE.max)
      .default(AUDIT_PAGE_SIZE.default),
    cursor: z
      .string()
      .regex(/^[0-9]{1,15}$/, 'is not a cursor of this trail')
      .transform(Number)
      .optional(),
  })
  .strict();

function auditQueryOf(query: z.output<typeof auditFilter>): AuditQuery {
  return {
    actor: query.actor,
    action: query.action,
    outcome: query.outcome,
    pullRequestNumber: query.pullRequest,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
}

/** What the audit trail's routes are built from. */
export interface AuditRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditTrail;
  /** Where a refusal that could not be recorded is reported. */
  logger?: LoggerService;
}

/**
 * The audit trail's routes under `/api/omnivision` (documented in `src/schema/openapi.yaml`),
 * for a person's credentials holding `omnivision.audit.read`: `GET /audit` (a page of JSON, or
 * every matching event as a CSV download), `GET /audit/export` (every matching event, CSV or one
 * JSON array, streamed) and `GET /audit/verify` (the hash chain checked). Each refusal, of a
 * caller or of their input, is itself recorded in the trail as `audit.read`.
 */
export async function createAuditRouter(
  options: AuditRouterOptions,
): Promise<express.Router> {
  const { httpAuth, audit } = options;
  const router = Router();
  const decisions = PermissionDecisionCache.create({
    permissions: options.permissions,
  });
  // A person's credentials, then their input, then their permission.
  const readerOf = async <S extends z.ZodTypeAny>(
    req: express.Request,
    schema: S,
  ): Promise<z.output<S>> => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = parseInput(schema, req.query, 'audit query');
    await decisions.assertAllowed(
      omnivisionAuditReadPermission,
      credentials,
      'only platform-team and security may read the audit trail',
    );
    return query;
  };

  router.get('/audit', async (req, res) => {
    const query = await readerOf(req, auditPageQuery);
    if (query.format === 'csv') {
      if (req.query.limit !== undefined || req.query.cursor !== undefined) {
        throw new InputError(
          'invalid audit query: limit and cursor page the JSON answer; the CSV holds every matching event',
        );
      }
      await sendAuditEvents(res, audit.stream(auditQueryOf(query)), 'csv');
      return;
    }
    const page = await audit.page(auditQueryOf(query), {
      after: query.cursor,
      limit: query.limit,
    });
    res.json({
      items: page.items,
      ...(page.nextCursor !== undefined && {
        nextCursor: String(page.nextCursor),
      }),
    });
  });

  router.get('/audit/export', async (req, res) => {
    const query = await readerOf(req, auditFilter.strict());
    await sendAuditEvents(res, audit.stream(auditQueryOf(query)), query.format);
  });

  router.get('/audit/verify', async (req, res) => {
    await readerOf(req, z.object({}).strict());
    res.json(await audit.verify());
  });

  router.use(
    auditRefusals({
      audit,
      httpAuth,
      actionOf: () => 'audit.read',
      logger: options.logger,
    }),
  );
  return router;
}
