import type {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  AuditAction,
  deploymentRequestSchema,
  dnsLabelSchema,
  modelChangeRequestSchema,
  omnivisionDeploymentCreatePermission,
  omnivisionDeploymentMergePermission,
  omnivisionDeploymentReviewPermission,
  omnivisionRequestReadPermission,
} from '@internal/plugin-omnivision-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import type { BasicPermission } from '@backstage/plugin-permission-common';
import type { AuditTrail } from '../audit/AuditTrail';
import { auditRefusals } from '../audit/auditRefusals';
import { PermissionDecisionCache } from '../services/PermissionDecisionCache';
import { parseInput } from '../services/parseInput';
import type { DeploymentRequestServices } from './createDeploymentRequestServices';

const deploymentRequest = deploymentRequestSchema(z);

const pullRequestNumber = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

const modelChange = modelChangeRequestSchema(z);

const pullRequestFields = {
  pullRequestNumber,
  pullRequestUrl: z.string().url().max(1024),
  branch: z.string().min(1).max(255),
};

/** A deployment (`request`), or a rollback or retirement (`change`). */
const recordBody = z.union([
  z.object({ ...pullRequestFields, request: deploymentRequest }).strict(),
  z.object({ ...pullRequestFields, change: modelChange }).strict(),
]);

const checkBody = z.union([
  z.object({ request: deploymentRequest }).strict(),
  z.object({ change: modelChange }).strict(),
]);

const requestsQuery = z
  .object({
    filter: z.enum(['all', 'mine', 'review']).default('all'),
    model: dnsLabelSchema(z).optional(),
  })
  .strict();

const reviewBody = z
  .object({
    event: z.enum(['APPROVE', 'REQUEST_CHANGES']),
    body: z.string().max(65_536).optional(),
  })
  .strict();

const READ_REFUSAL = 'reading deployment requests is not allowed';

/** What the requests' routes are built from. */
export interface RequestsRouterOptions {
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** Where the routes' refusals are recorded. */
  audit: AuditTrail;
  logger?: LoggerService;
  /** Absent when `omnivision.gitops` is not configured: then the routes answer 503. */
  services?: DeploymentRequestServices;
}

/** The action each route attempts, as its refusals are recorded in the audit trail. */
function actionOf(req: express.Request): AuditAction | undefined {
  const path = req.route?.path ?? req.path;
  if (req.method === 'GET' && String(path).startsWith('/requests'))
    return 'request.read';
  if (req.method !== 'POST') return undefined;
  if (path === '/requests' || path === '/requests/checks')
    return 'request.created';
  if (String(path).endsWith('/merge')) return 'pull-request.merged';
  if (String(path).endsWith('/reviews')) {
    return req.body?.event === 'REQUEST_CHANGES'
      ? 'review.changes-requested'
      : 'review.approved';
  }
  return undefined;
}

/** The caller's own GitHub token, from their GitHub sign-in: reviews and merges are theirs. */
function githubToken(req: express.Request): string {
  const token = req.header('x-github-token');
  if (!token) {
    throw new InputError(
      'reviews and merges are made with your own GitHub identity: send your GitHub token in x-github-token',
    );
  }
  return token;
}

/**
 * The deploy form's preview and the deployment requests under `/api/omnivision` (documented in
 * `src/schema/openapi.yaml`): `POST /deployments/preview`, `POST /requests/checks` and
 * `POST /requests` (the deploy template's check and record steps only), `GET /requests`,
 * `GET /requests/:number` (from the request store: no GitHub call), and
 * `POST /requests/:number/reviews` and `POST /requests/:number/merge` (as the person on GitHub,
 * their token in `x-github-token`, checked against who they are). Each route checks its own
 * permission; a decision is reused for 10 s per principal. Every refusal is in the audit trail.
 */
export async function createRequestsRouter(
  options: RequestsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, userInfo, services } = options;
  const router = Router();
  const decisions = PermissionDecisionCache.create({
    permissions: options.permissions,
  });
  const requests = (what: string): DeploymentRequestServices => {
    if (!services) {
      throw new ServiceUnavailableError(
        `${what} need omnivision.gitops in the app config`,
      );
    }
    return services;
  };

  router.post(
    '/deployments/preview',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      // The requester's team quota decides: only a person can ask.
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const request = parseInput(
        deploymentRequest,
        req.body,
        'deployment request',
      );
      await decisions.assertAllowed(
        omnivisionRequestReadPermission,
        credentials,
        'previewing deployment requests is not allowed',
      );
      const { previewer } = requests('deployment previews');
      res.json(await previewer.preview(request, credentials));
    },
  );

  router.post(
    '/requests/checks',
    express.json({ limit: '16kb' }),
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      if (credentials.principal.actor?.subject !== 'plugin:scaffolder') {
        throw new NotAllowedError(
          'deployment requests are checked by the deploy template, not directly',
        );
      }
      const body = parseInput(checkBody, req.body, 'deployment request check');
      await decisions.assertAllowed(
        omnivisionDeploymentCreatePermission,
        credentials,
        'only data-science may create deployment requests',
      );
      const { recorder } = requests('deployment requests');
      if ('change' in body) {
        // A rollback or retirement: the backend plans it (the store, the base branch's files).
        const plan = await recorder.admitChange(body.change, credentials);
        res.json({
          branch: plan.branch,
          gpus: plan.gpus,
          team: plan.team,
          title: plan.title,
          body: plan.body,
          files: plan.files.map(f =>
            'delete' in f
              ? { path: f.path, delete: true }
              : { path: f.path, content: f.content },
          ),
        });
        return;
      }
      const plan = await recorder.admit(body.request, credentials);
      res.json({
        branch: plan.branch,
        gpus: plan.gpus,
        team: plan.team,
        runningIn: await recorder.runningIn(body.request),
      });
    },
  );

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
      const body = parseInput(
        recordBody,
        req.body,
        'deployment request record',
      );
      await decisions.assertAllowed(
        omnivisionDeploymentCreatePermission,
        credentials,
        'only data-science may create deployment requests',
      );
      const { recorder } = requests('deployment requests');
      const pull = {
        number: body.pullRequestNumber,
        url: body.pullRequestUrl,
        branch: body.branch,
      };
      res
        .status(201)
        .json(
          'change' in body
            ? await recorder.recordChange(pull, body.change, credentials)
            : await recorder.record(pull, body.request, credentials),
        );
    },
  );

  router.get('/requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = parseInput(requestsQuery, req.query, 'requests query');
    await decisions.assertAllowed(
      omnivisionRequestReadPermission,
      credentials,
      READ_REFUSAL,
    );
    const { reader } = requests('deployment requests');
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    res.json({
      items: await reader.list(
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
    const number = parseInput(
      pullRequestNumber,
      req.params.number,
      'request number',
    );
    await decisions.assertAllowed(
      omnivisionRequestReadPermission,
      credentials,
      READ_REFUSAL,
    );
    res.json(await requests('deployment requests').reader.get(number));
  });

  /**
   * The request number and the person acting on it as themselves on GitHub, for a review or a
   * merge: they must read requests; whether they hold `permission` is passed on, since a refused
   * review or merge is audited with its reason by the reviewer.
   */
  async function actorOn(req: express.Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const number = parseInput(
      pullRequestNumber,
      req.params.number,
      'request number',
    );
    const caller = {
      userEntityRef: credentials.principal.userEntityRef,
      githubToken: githubToken(req),
    };
    await decisions.assertAllowed(
      omnivisionRequestReadPermission,
      credentials,
      READ_REFUSAL,
    );
    const permitted = await decisions.isAllowed(permission, credentials);
    return { number, caller: { ...caller, permitted } };
  }

  router.post(
    '/requests/:number/reviews',
    express.json({ limit: '80kb' }),
    async (req, res) => {
      const { number, caller } = await actorOn(
        req,
        omnivisionDeploymentReviewPermission,
      );
      const body = parseInput(reviewBody, req.body, 'review');
      const { reviewer, reader } = requests('deployment requests');
      await reviewer.review(number, body, caller);
      res.status(201).json(await reader.get(number));
    },
  );

  router.post('/requests/:number/merge', async (req, res) => {
    const { number, caller } = await actorOn(
      req,
      omnivisionDeploymentMergePermission,
    );
    const { reviewer, reader } = requests('deployment requests');
    await reviewer.merge(number, caller);
    res.json(await reader.get(number));
  });

  router.use(
    auditRefusals({
      audit: options.audit,
      httpAuth,
      actionOf,
      logger: options.logger,
    }),
  );

  return router;
}
