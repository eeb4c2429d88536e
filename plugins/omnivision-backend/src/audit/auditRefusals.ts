import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { AuditAction } from '@internal/plugin-omnivision-common';
import type { ErrorRequestHandler, Request } from 'express';
import type { AuditTrail } from './AuditTrail';
import { isAudited } from './markAudited';

/** The refusals of `@backstage/errors` by name, with the status Backstage answers them with. */
const REFUSALS: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

/** What `auditRefusals` records with. */
export interface AuditRefusalsOptions {
  audit: Pick<AuditTrail, 'append'>;
  httpAuth: HttpAuthService;
  /** The action a request attempted; a refusal of a request without one is not recorded. */
  actionOf: (req: Request) => AuditAction | undefined;
  /** The model and region a request is about, recorded with its refusal. */
  subjectOf?: (req: Request) => { model?: string; region?: string };
  /** Where a refusal that could not be recorded is reported. */
  logger?: LoggerService;
}

/** The 4xx status Backstage's error handler answers the error with, if it is a refusal. */
function refusalStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const fields = error as { statusCode?: unknown; status?: unknown };
  for (const status of [fields.statusCode, fields.status]) {
    if (Number.isInteger(status) && Number(status) >= 100) {
      return Number(status) >= 400 && Number(status) < 500
        ? Number(status)
        : undefined;
    }
  }
  return REFUSALS[(error as Error).name];
}

/** A path parameter of the route that refused, also where the error handler no longer sees it. */
function routeParam(req: Request, name: string): string | undefined {
  if (req.params?.[name] !== undefined) return req.params[name];
  const pattern: unknown = req.route?.path;
  if (typeof pattern !== 'string') return undefined;
  const expected = pattern.split('/');
  const actual = req.path.split('/');
  const at = expected.indexOf(`:${name}`);
  if (at < 0 || expected.length !== actual.length) return undefined;
  try {
    return decodeURIComponent(actual[at]);
  } catch {
    return undefined;
  }
}

function pullRequestNumberOf(req: Request): number | undefined {
  const value = routeParam(req, 'number');
  if (value === undefined || !/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const number = Number(value);
  return number <= 2 ** 31 - 1 ? number : undefined;
}

async function actorOf(
  httpAuth: HttpAuthService,
  req: Request,
): Promise<string> {
  try {
    const { principal } = await httpAuth.credentials(req);
    const p = principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
    if (p.type === 'service' && p.subject) return p.subject;
  } catch {
    // Credentials that cannot be read: the refusal was likely about them.
  }
  return 'unauthenticated';
}

/**
 * An error middleware, for the end of a router, that writes each refusal of the router's routes
 * into the audit trail, then passes the error on unchanged. A refusal is an error Backstage
 * answers with a 4xx: `InputError` (bad input, zod's included), `AuthenticationError`,
 * `NotAllowedError`, `NotFoundError`, `ConflictError`, or any error with a 4xx `statusCode`.
 * It is recorded as `outcome: 'refused'` with the error's message as reason, the route's action
 * (`actionOf`), the pull request of a `:number` path parameter, the model and region of
 * `subjectOf` and the caller (their entity ref,
 * a service's subject, else `unauthenticated`). Errors a service already recorded, marked with
 * `markAudited`, are not recorded again.
 *
 * @example
 * ```ts
 * router.use(auditRefusals({ audit, httpAuth, actionOf: req => 'request.read' }));
 * ```
 */
export function auditRefusals(
  options: AuditRefusalsOptions,
): ErrorRequestHandler {
  const { audit, httpAuth, actionOf, subjectOf, logger } = options;
  return (error, req, _res, next) => {
    const action = actionOf(req);
    if (!action || isAudited(error) || !refusalStatusOf(error)) {
      next(error);
      return;
    }
    actorOf(httpAuth, req)
      .then(actor =>
        audit.append({
          actor,
          action,
          outcome: 'refused',
          pullRequestNumber: pullRequestNumberOf(req),
          ...subjectOf?.(req),
          reason: String((error as Error).message),
        }),
      )
      .catch(auditError =>
        logger?.error(
          `could not record the refusal of ${req.method} ${req.originalUrl} in the audit trail`,
          auditError,
        ),
      )
      .finally(() => next(error));
  };
}
