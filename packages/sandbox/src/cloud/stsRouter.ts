import crypto from 'node:crypto';
import express, { Request, Response } from 'express';
import type {
  AwsCredentialIssuer,
  AwsCallerIdentity,
} from './AwsCredentialIssuer';
import { WebIdentityIssuer, WebIdentityTokenError } from './WebIdentityIssuer';
import {
  SigV4Error,
  verifyAuthorizationHeader,
  verifyPresignedRequest,
} from './sigV4';
import type { RequestStats } from '../RequestStats';

/** An IAM role that trusts the sandbox's OIDC issuer for one service account (IRSA). */
export interface WebIdentityRole {
  arn: string;
  /** The `sub` it trusts: `system:serviceaccount:<namespace>:<name>`. */
  subject: string;
  /** Its maximum session duration, seconds (IAM's default: 3600). */
  maxSessionSeconds: number;
}

export interface StsRouterOptions {
  credentials: AwsCredentialIssuer;
  webIdentity: WebIdentityIssuer;
  roles: WebIdentityRole[];
  /** The region it signs for (an STS regional endpoint's). */
  region: string;
  stats: RequestStats;
  /** Epoch milliseconds. */
  now: () => number;
}

/** The audience of IRSA's projected tokens. */
export const STS_AUDIENCE = 'sts.amazonaws.com';
const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** A presigned request to STS is valid this long after its `X-Amz-Date`. */
const PRESIGNED_LIFETIME_MS = 15 * 60 * 1000;

const escapeXml = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    c =>
      `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );

/** `<a>…</a>` elements from a plain object (strings escaped, objects nested). */
function xml(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(
      ([k, v]) =>
        `<${k}>${
          typeof v === 'object'
            ? xml(v as Record<string, unknown>)
            : escapeXml(String(v))
        }</${k}>`,
    )
    .join('');
}

class StsError extends Error {
  constructor(readonly code: string, readonly status: number, message: string) {
    super(message);
  }
}

/** AWS's timestamps in STS answers: ISO 8601 to the second. */
const isoSeconds = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The sandbox's AWS Security Token Service, in STS's Query protocol (form-encoded POST or GET,
 * XML answers with STS's namespace, `ErrorResponse` on failure), for what the portal uses:
 * `AssumeRoleWithWebIdentity` (unsigned; a web identity token from the sandbox's OIDC issuer,
 * for a role that trusts its subject → temporary credentials) and `GetCallerIdentity` (signed
 * with SigV4, in the `Authorization` header or presigned).
 */
export function createStsRouter(options: StsRouterOptions): express.Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '64kb' }));
  router.all('/', async (req: Request, res: Response) => {
    const requestId = crypto.randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const params = new URLSearchParams(
      req.method === 'POST' &&
      (req.header('content-type') ?? '').startsWith(
        'application/x-www-form-urlencoded',
      )
        ? body
        : '',
    );
    const query = req.query as Record<string, string>;
    for (const [k, v] of Object.entries(query))
      if (typeof v === 'string' && !params.has(k)) params.set(k, v);
    const action = params.get('Action') ?? '';
    options.stats.record('sts', {
      tokenLabel: 'sts',
      endpoint: action || '(none)',
      verb: req.method,
    });
    const json = (req.header('accept') ?? '').includes('application/json');
    const answer = (result: Record<string, unknown>) => {
      const name = `${action}Response`;
      if (json) {
        res.json({
          [name]: {
            [`${action}Result`]: result,
            ResponseMetadata: { RequestId: requestId },
          },
        });
        return;
      }
      res
        .type('text/xml')
        .send(
          `<${name} xmlns="${XMLNS}">\n  <${action}Result>${xml(
            result,
          )}</${action}Result>\n  <ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>\n</${name}>\n`,
        );
    };
    try {
      if (!action) throw new StsError('MissingAction', 400, 'Missing Action');
      if (params.get('Version') !== '2011-06-15') {
        throw new StsError(
          'InvalidAction',
          400,
          `Could not find operation ${action} for version ${
            params.get('Version') ?? 'NO_VERSION_SPECIFIED'
          }`,
        );
      }
      if (action === 'AssumeRoleWithWebIdentity') {
        answer(assumeRoleWithWebIdentity(params, options));
        return;
      }
      if (action === 'GetCallerIdentity') {
        const identity = await callerOf(req, body, options);
        answer({
          Arn: identity.arn,
          UserId: identity.userId,
          Account: identity.account,
        });
        return;
      }
      throw new StsError(
        'InvalidAction',
        400,
        `Could not find operation ${action} for version 2011-06-15`,
      );
    } catch (error) {
      if (!(error instanceof StsError || error instanceof SigV4Error))
        throw error;
      res
        .status(error.status)
        .type('text/xml')
        .send(
          `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${
            error.code
          }</Code>\n    <Message>${escapeXml(
            error.message,
          )}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
        );
    }
  });
  return router;
}

function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) {
    throw new StsError(
      'MissingParameter',
      400,
      `The request must contain the parameter ${name}`,
    );
  }
  return value;
}

function assumeRoleWithWebIdentity(
  params: URLSearchParams,
  options: StsRouterOptions,
): Record<string, unknown> {
  const roleArn = required(params, 'RoleArn');
  const sessionName = required(params, 'RoleSessionName');
  const token = required(params, 'WebIdentityToken');
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new StsError(
      'ValidationError',
      400,
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn)) {
    throw new StsError('ValidationError', 400, `${roleArn} is invalid`);
  }
  const now = options.now();
  let subject: string;
  try {
    subject = options.webIdentity.verify(token, STS_AUDIENCE, now).sub;
  } catch (error) {
    if (error instanceof WebIdentityTokenError)
      throw new StsError(error.code, 400, error.message);
    throw error;
  }
  const role = options.roles.find(r => r.arn === roleArn);
  if (!role || role.subject !== subject) {
    throw new StsError(
      'AccessDenied',
      403,
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
  }
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  if (
    !Number.isInteger(duration) ||
    duration < 900 ||
    duration > role.maxSessionSeconds
  ) {
    throw new StsError(
      'ValidationError',
      400,
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  }
  const credentials = options.credentials.issueRoleSession(
    roleArn,
    sessionName,
    now + duration * 1000,
  );
  return {
    SubjectFromWebIdentityToken: subject,
    Audience: STS_AUDIENCE,
    AssumedRoleUser: {
      Arn: credentials.identity.arn,
      AssumedRoleId: credentials.identity.userId,
    },
    Credentials: {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      SessionToken: credentials.sessionToken,
      Expiration: isoSeconds(credentials.expiresAt),
    },
    Provider: options.webIdentity.issuerUrl.replace(/^https:\/\//, ''),
  };
}

async function callerOf(
  req: Request,
  body: string,
  options: StsRouterOptions,
): Promise<AwsCallerIdentity> {
  const url = new URL(req.originalUrl, 'http://sandbox');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signed = {
    method: req.method,
    host: req.header('host') ?? '',
    path: url.pathname,
    query,
    header: (name: string) => req.header(name),
    body,
  };
  const common = {
    issuer: options.credentials,
    region: options.region,
    nowMs: options.now(),
  };
  if (req.header('authorization')) {
    return (await verifyAuthorizationHeader(signed, common)).identity;
  }
  if (Object.keys(query).some(k => k.toLowerCase() === 'x-amz-signature')) {
    return (
      await verifyPresignedRequest(signed, {
        ...common,
        validForMs: PRESIGNED_LIFETIME_MS,
      })
    ).identity;
  }
  throw new StsError(
    'MissingAuthenticationToken',
    403,
    'Request is missing Authentication Token',
  );
}
