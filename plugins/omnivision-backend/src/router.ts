import type {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AUDIT_ACTIONS,
  AuditEvent,
  omnivisionAuditReadPermission,
  omnivisionDeploymentCreatePermission,
  omnivisionDeploymentMergePermission,
  omnivisionDeploymentReviewPermission,
  omnivisionFleetReadPermission,
  omnivisionRequestReadPermission,
} from '@internal/plugin-omnivision-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import type { AuditTrail } from './services/AuditTrail';
import type { DeploymentPreviewer } from './services/DeploymentPreviewer';
import type { DeploymentRequestService } from './services/DeploymentRequestService';
import { PermissionDecisionCache } from './services/PermissionDecisionCache';

/** Kubernetes object and model names: DNS-1123 labels. */
const dnsLabel = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a DNS-1123 label: lower-case letters, digits and dashes',
  );

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

const pullRequestNumber = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

const recordBody = z
  .object({
    pullRequestNumber,
    pullRequestUrl: z.string().url().max(1024),
    branch: z.string().min(1).max(255),
    request: deploymentRequest,
  })
  .strict();

const requestsQuery = z
  .object({
    filter: z.enum(['all', 'mine', 'review']).default('all'),
    model: dnsLabel.optional(),
  })
  .strict();

const reviewBody = z
  .object({
    event: z.enum(['APPROVE', 'REQUEST_CHANGES']),
    body: z.string().max(65_536).optional(),
  })
  .strict();

const auditQuery = z
  .object({
    actor: z.string().max(255).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    outcome: z.enum(['succeeded', 'refused']).optional(),
    pullRequest: pullRequestNumber.optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

const AUDIT_COLUMNS = [
  'id',
  'at',
  'actor',
  'action',
  'outcome',
  'pullRequestNumber',
  'model',
  'region',
  'reason',
] as const;

/** The audit trail as CSV (RFC 4180), one event per line, formulas defused for spreadsheets. */
export function auditCsv(events: AuditEvent[]): string {
  const cell = (value: unknown) => {
    let text = value === undefined || value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[
    AUDIT_COLUMNS.join(','),
    ...events.map(e => AUDIT_COLUMNS.map(c => cell(e[c])).join(',')),
  ].join('\r\n')}\r\n`;
}

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
 * The deploy preview, requests and audit routes under `/api/omnivision` (documented in
 * `src/schema/openapi.yaml`; the fleet's routes are in `fleet/createFleetRouter.ts`). Every
 * route here needs `omnivision.fleet.read` too, as before the fleet's routes moved (a decision
 * is reused for 10 s per principal). The deployment preview reads the GitOps repository and
 * writes nothing.
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** Absent when `omnivision.gitops` is not configured. */
  deploymentPreviewer?: DeploymentPreviewer;
  /** Absent when `omnivision.gitops` is not configured. */
  deploymentRequests?: DeploymentRequestService;
  audit?: AuditTrail;
}): Promise<express.Router> {
  const {
    httpAuth,
    userInfo,
    permissions,
    deploymentPreviewer,
    deploymentRequests,
    audit,
  } = options;
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

  const requests = () => {
    if (!deploymentRequests) {
      throw new ServiceUnavailableError(
        'deployment requests need omnivision.gitops in the app config',
      );
    }
    return deploymentRequests;
  };
  const require = async (
    permission: Parameters<typeof decisions.isAllowed>[0],
    credentials: Parameters<typeof decisions.isAllowed>[1],
    refusal: string,
  ) => {
    if (!(await decisions.isAllowed(permission, credentials))) {
      throw new NotAllowedError(refusal);
    }
  };
  /** The caller's own GitHub token, from their GitHub sign-in: reviews and merges are theirs. */
  const githubToken = (req: express.Request) => {
    const token = req.header('x-github-token');
    if (!token) {
      throw new InputError(
        'reviews and merges are made with your own GitHub identity: send your GitHub token in x-github-token',
      );
    }
    return token;
  };

  router.post(
    '/requests',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      // Only the deploy template records requests: the scaffolder, on behalf of the person.
      if (credentials.principal.actor?.subject !== 'plugin:scaffolder') {
        throw new NotAllowedError(
          'deployment requests are recorded by the deploy template, not directly',
        );
      }
      const body = parse(recordBody, req.body, 'deployment request record');
      await require(omnivisionDeploymentCreatePermission, credentials, 'only data-science may create deployment requests');
      res.status(201).json(
        await requests().record(
          {
            number: body.pullRequestNumber,
            url: body.pullRequestUrl,
            branch: body.branch,
          },
          body.request,
          credentials,
        ),
      );
    },
  );

  router.get('/requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = parse(requestsQuery, req.query, 'requests query');
    await require(omnivisionRequestReadPermission, credentials, 'reading deployment requests is not allowed');
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    res.json({
      items: await requests().list(
        query.filter,
        {
          userEntityRef: credentials.principal.userEntityRef,
          ownershipEntityRefs,
        },
        { model: query.model },
      ),
    });
  });

  router.get('/requests/:number', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const number = parse(
      pullRequestNumber,
      req.params.number,
      'request number',
    );
    await require(omnivisionRequestReadPermission, credentials, 'reading deployment requests is not allowed');
    res.json(await requests().get(number));
  });

  router.post(
    '/requests/:number/reviews',
    express.json({ limit: '80kb' }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const number = parse(
        pullRequestNumber,
        req.params.number,
        'request number',
      );
      const body = parse(reviewBody, req.body, 'review');
      const caller = {
        userEntityRef: credentials.principal.userEntityRef,
        githubToken: githubToken(req),
      };
      const permitted = await decisions.isAllowed(
        omnivisionDeploymentReviewPermission,
        credentials,
      );
      await requests().review(number, body, { ...caller, permitted });
      res.status(201).json(await requests().get(number));
    },
  );

  router.post('/requests/:number/merge', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const number = parse(
      pullRequestNumber,
      req.params.number,
      'request number',
    );
    const caller = {
      userEntityRef: credentials.principal.userEntityRef,
      githubToken: githubToken(req),
    };
    const permitted = await decisions.isAllowed(
      omnivisionDeploymentMergePermission,
      credentials,
    );
    await requests().merge(number, { ...caller, permitted });
    res.json(await requests().get(number));
  });

  router.get('/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = parse(auditQuery, req.query, 'audit query');
    await require(omnivisionAuditReadPermission, credentials, 'only platform-team and security may read the audit trail');
    if (!audit) {
      throw new ServiceUnavailableError('the audit trail is not configured');
    }
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
