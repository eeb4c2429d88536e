import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsAccessKey, AwsCredentialIssuer } from './AwsCredentialIssuer';
import { AwsKeyError } from './AwsCredentialIssuer';
import { sameSecret } from './IdentityKeys';

/** A request signed with AWS Signature Version 4 that STS refuses: its error code, status and message. */
export class SigV4Error extends Error {
  constructor(readonly code: string, readonly status: number, message: string) {
    super(message);
  }
}

/** A request as the signature covers it: the query without the signature, the signed headers' values. */
export interface SignedRequest {
  method: string;
  /** The `Host` the client signed: `sts.us-west-2.amazonaws.com`, or `127.0.0.1:7010`. */
  host: string;
  path: string;
  /** Every query parameter, single-valued (auth parameters included for presigned URLs). */
  query: Record<string, string>;
  /** Header lookup, lower-case names (the `host` header is `host` above). */
  header: (name: string) => string | undefined;
  body?: string;
}

const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far a request's date may be from the server's clock, as AWS allows (5 minutes). */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const PRESIGN_AUTH_PARAMS = [
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-security-token',
  'x-amz-signature',
];

function queryParam(query: Record<string, string>, name: string) {
  const key = Object.keys(query).find(k => k.toLowerCase() === name);
  return key === undefined ? undefined : query[key];
}

/** `20060102T150405Z` to epoch milliseconds, or undefined. */
export function parseAmzDate(value: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

interface Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(value: string | undefined): Scope {
  const parts = (value ?? '').split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new SigV4Error(
      'IncompleteSignature',
      400,
      `Credential should be scoped to a valid region. Credential: ${value}`,
    );
  }
  const [accessKeyId, date, region, service] = parts;
  return { accessKeyId, date, region, service };
}

function checkScope(scope: Scope, signedAt: number, region: string) {
  if (scope.service !== 'sts') {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      403,
      `Credential should be scoped to correct service: 'sts'.`,
    );
  }
  if (scope.region !== region) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      403,
      `Credential should be scoped to a valid region. Wrong region '${scope.region}', expecting '${region}'.`,
    );
  }
  if (
    new Date(signedAt).toISOString().slice(0, 10).replace(/-/g, '') !==
    scope.date
  ) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      403,
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP',
    );
  }
}

function resolveKey(
  issuer: AwsCredentialIssuer,
  accessKeyId: string,
  sessionToken: string | undefined,
  nowMs: number,
): AwsAccessKey {
  try {
    return issuer.resolve(accessKeyId, sessionToken, nowMs);
  } catch (error) {
    if (error instanceof AwsKeyError)
      throw new SigV4Error(error.code, 403, error.message);
    throw error;
  }
}

function signerFor(key: AwsAccessKey, region: string) {
  return new SignatureV4({
    credentials: {
      accessKeyId: key.accessKeyId,
      secretAccessKey: key.secretAccessKey,
      sessionToken: key.sessionToken,
    },
    region,
    service: 'sts',
    sha256: Sha256,
    // Recompute over what the client signed, adding nothing of our own.
    applyChecksum: false,
  });
}

function signedHeaderValues(request: SignedRequest, names: string[]) {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = name === 'host' ? request.host : request.header(name);
    if (value === undefined) {
      throw new SigV4Error(
        'SignatureDoesNotMatch',
        403,
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
    headers[name] = value;
  }
  return headers;
}

/** The request as the signer takes it: what the signature covers. */
function covered(
  request: SignedRequest,
  query: Record<string, string>,
  signedHeaderNames: string[],
) {
  return {
    method: request.method,
    protocol: 'https:',
    hostname: request.host,
    path: request.path,
    query,
    headers: signedHeaderValues(request, signedHeaderNames),
    body: request.body,
  };
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * Verifies a request presigned with SigV4 (auth in the query: `X-Amz-Credential`,
 * `X-Amz-Signature`, ...), as STS does: the key's secret recomputes the signature over the
 * method, host, path, the other parameters and the signed headers (their values from
 * `request.header`), and a presigned STS URL is valid for 15 minutes after `X-Amz-Date`
 * whatever its `X-Amz-Expires`. Returns the key that signed it.
 */
export async function verifyPresignedRequest(
  request: SignedRequest,
  options: {
    issuer: AwsCredentialIssuer;
    region: string;
    nowMs: number;
    validForMs: number;
  },
): Promise<AwsAccessKey> {
  const q = request.query;
  if (queryParam(q, 'x-amz-algorithm') !== SIGV4_ALGORITHM) {
    throw new SigV4Error(
      'IncompleteSignature',
      400,
      'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"',
    );
  }
  const signedAt = parseAmzDate(queryParam(q, 'x-amz-date'));
  const signature = queryParam(q, 'x-amz-signature');
  const signedHeaders = queryParam(q, 'x-amz-signedheaders');
  const expires = Number(queryParam(q, 'x-amz-expires'));
  if (
    signedAt === undefined ||
    !signature ||
    !signedHeaders ||
    !Number.isInteger(expires)
  ) {
    throw new SigV4Error(
      'AuthorizationQueryParametersError',
      400,
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (request.method !== 'GET' || expires < 0 || expires > 604800) {
    throw new SigV4Error('SignatureDoesNotMatch', 403, MISMATCH);
  }
  if (options.nowMs > signedAt + options.validForMs) {
    throw new SigV4Error('ExpiredToken', 403, 'Request has expired');
  }
  if (signedAt > options.nowMs + CLOCK_SKEW_MS) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      403,
      `Signature not yet current: ${queryParam(
        q,
        'x-amz-date',
      )} is still later than ${new Date(options.nowMs).toISOString()}`,
    );
  }
  const scope = parseCredential(queryParam(q, 'x-amz-credential'));
  checkScope(scope, signedAt, options.region);
  const key = resolveKey(
    options.issuer,
    scope.accessKeyId,
    queryParam(q, 'x-amz-security-token'),
    options.nowMs,
  );
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(q)) {
    if (!PRESIGN_AUTH_PARAMS.includes(name.toLowerCase())) query[name] = value;
  }
  const names = signedHeaders.split(';');
  const presigned = await signerFor(key, scope.region).presign(
    covered(request, query, names),
    {
      signingDate: new Date(signedAt),
      expiresIn: expires,
      signableHeaders: new Set(names),
      // Recompute with each header where the client signed it: none moved into the query.
      unhoistableHeaders: new Set(names),
    },
  );
  const recomputed = presigned.query ?? {};
  const expected = String(recomputed['X-Amz-Signature']);
  if (
    recomputed['X-Amz-SignedHeaders'] !== signedHeaders ||
    !sameSecret(expected, signature)
  ) {
    throw new SigV4Error('SignatureDoesNotMatch', 403, MISMATCH);
  }
  return key;
}

/**
 * Verifies a request signed with SigV4 in its `Authorization` header (`X-Amz-Date` and, for
 * temporary credentials, `X-Amz-Security-Token` headers), as the AWS SDKs send API calls.
 */
export async function verifyAuthorizationHeader(
  request: SignedRequest,
  options: { issuer: AwsCredentialIssuer; region: string; nowMs: number },
): Promise<AwsAccessKey> {
  const authorization = request.header('authorization') ?? '';
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(
      authorization,
    );
  if (!m) {
    throw new SigV4Error(
      'IncompleteSignature',
      400,
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`,
    );
  }
  const [, credential, signedHeaders, signature] = m;
  const signedAt = parseAmzDate(request.header('x-amz-date'));
  if (signedAt === undefined) {
    throw new SigV4Error(
      'IncompleteSignature',
      400,
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (Math.abs(options.nowMs - signedAt) > CLOCK_SKEW_MS) {
    throw new SigV4Error(
      'SignatureDoesNotMatch',
      403,
      'Signature expired: the request time is too far from the current time.',
    );
  }
  const scope = parseCredential(credential);
  checkScope(scope, signedAt, options.region);
  const key = resolveKey(
    options.issuer,
    scope.accessKeyId,
    request.header('x-amz-security-token'),
    options.nowMs,
  );
  const names = signedHeaders.split(';');
  const signed = await signerFor(key, scope.region).sign(
    covered(request, request.query, names),
    { signingDate: new Date(signedAt), signableHeaders: new Set(names) },
  );
  const expected = /Signature=([0-9a-f]+)$/.exec(
    String(signed.headers.authorization),
  )?.[1];
  if (!expected || !sameSecret(expected, signature)) {
    throw new SigV4Error('SignatureDoesNotMatch', 403, MISMATCH);
  }
  return key;
}
