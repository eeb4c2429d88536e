import type {
  AwsCallerIdentity,
  AwsCredentialIssuer,
} from './AwsCredentialIssuer';
import { SigV4Error, verifyPresignedRequest } from './sigV4';

/** The prefix of the bearer tokens EKS API servers take (aws-iam-authenticator's `v1Prefix`). */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** A presigned `GetCallerIdentity` URL, hence a token, is valid this long after `X-Amz-Date`. */
export const EKS_TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const MAX_TOKEN_LENGTH = 4096;
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** The query parameters a token's URL may have (aws-iam-authenticator's allow list). */
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);
/** STS's endpoints in the `aws` partition: the global one and the regional (and FIPS) ones. */
const STS_HOST =
  /^sts(-fips)?(\.([a-z]{2}(-gov)?-[a-z]+-\d))?\.amazonaws\.com$/;

/** A refused token: the reason, for the sandbox's log (the API server answers 401 either way). */
export class EksTokenError extends Error {}

/**
 * Verifies the bearer tokens of an EKS API server as aws-iam-authenticator does: `k8s-aws-v1.`
 * and the base64url of a presigned `https://sts.<region>.amazonaws.com/?Action=GetCallerIdentity`
 * URL whose signed headers include `x-k8s-aws-id`, at most 15 minutes old. Where the
 * authenticator then sends the URL to STS with `x-k8s-aws-id: <its cluster id>`, the sandbox
 * checks the signature itself, as its STS would: a token for another cluster id, signed with
 * an unknown or expired key, or altered, does not verify. Returns the caller's identity.
 */
export async function verifyEksToken(
  token: string,
  options: { clusterId: string; issuer: AwsCredentialIssuer; nowMs: number },
): Promise<AwsCallerIdentity> {
  if (token.length > MAX_TOKEN_LENGTH)
    throw new EksTokenError('token is too large');
  if (!token.startsWith(EKS_TOKEN_PREFIX))
    throw new EksTokenError(
      `token is missing expected "${EKS_TOKEN_PREFIX}" prefix`,
    );
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(encoded))
    throw new EksTokenError('illegal base64url data');
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new EksTokenError('the token is not a URL');
  }
  if (url.protocol !== 'https:')
    throw new EksTokenError(
      `unexpected scheme "${url.protocol}" in pre-signed URL`,
    );
  const host = STS_HOST.exec(url.host);
  if (!host)
    throw new EksTokenError(
      `unexpected hostname "${url.host}" in pre-signed URL`,
    );
  if (url.pathname !== '/')
    throw new EksTokenError('unexpected path in pre-signed URL');
  const query: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) {
    if (!ALLOWED_PARAMETERS.has(name.toLowerCase()))
      throw new EksTokenError(`non-whitelisted query parameter "${name}"`);
    const values = url.searchParams.getAll(name);
    if (values.length !== 1)
      throw new EksTokenError(
        'query parameter with multiple values not supported',
      );
    query[name] = values[0];
  }
  const lower = Object.fromEntries(
    Object.entries(query).map(([k, v]) => [k.toLowerCase(), v]),
  );
  if (lower.action !== 'GetCallerIdentity')
    throw new EksTokenError('unexpected action parameter in pre-signed URL');
  const signedHeaders = (lower['x-amz-signedheaders'] ?? '')
    .toLowerCase()
    .split(';');
  if (!signedHeaders.includes(CLUSTER_ID_HEADER))
    throw new EksTokenError(
      `client did not sign the ${CLUSTER_ID_HEADER} header in the pre-signed URL`,
    );
  const expires = Number(lower['x-amz-expires']);
  if (!Number.isInteger(expires) || expires < 0 || expires > 900)
    throw new EksTokenError(
      'invalid X-Amz-Expires parameter in pre-signed URL',
    );
  try {
    const key = await verifyPresignedRequest(
      {
        method: 'GET',
        host: url.host,
        path: url.pathname,
        query,
        header: name =>
          name === CLUSTER_ID_HEADER ? options.clusterId : undefined,
      },
      {
        issuer: options.issuer,
        // The global endpoint signs for us-east-1.
        region: host[3] ?? 'us-east-1',
        nowMs: options.nowMs,
        validForMs: EKS_TOKEN_LIFETIME_MS,
      },
    );
    return key.identity;
  } catch (error) {
    if (error instanceof SigV4Error)
      throw new EksTokenError(
        `sts getCallerIdentity failed: ${error.code}: ${error.message}`,
      );
    throw error;
  }
}
