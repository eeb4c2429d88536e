import crypto from 'node:crypto';
import { IdentityKeys, sameSecret } from './IdentityKeys';

/** Who an AWS access key belongs to, as `sts:GetCallerIdentity` reports it. */
export interface AwsCallerIdentity {
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` or `arn:aws:iam::<account>:user/<name>`. */
  arn: string;
  /** `AROA…:<session>` for a role session, `AIDA…` for a user. */
  userId: string;
  account: string;
}

/** An access key the sandbox knows: its secret, owner and, for temporary credentials, its end. */
export interface AwsAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** Epoch milliseconds; absent for long-term keys. */
  expiresAt?: number;
  identity: AwsCallerIdentity;
}

/** Temporary credentials as `AssumeRoleWithWebIdentity` returns them. */
export interface AwsTemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  identity: AwsCallerIdentity;
}

/**
 * The sandbox's long-term test credentials (an IAM user's access key), for tests that sign
 * tokens without going through STS. They are AWS's own documentation example key, which no
 * AWS account accepts.
 */
export const SANDBOX_TEST_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  userName: 'sandbox-tests',
} as const;

/** Why a key is refused, with STS's error code. */
export class AwsKeyError extends Error {
  constructor(
    readonly code: 'InvalidClientTokenId' | 'ExpiredToken',
    message: string,
  ) {
    super(message);
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` and 16 characters of AWS's unique-id alphabet, derived from `seed`. */
function uniqueId(prefix: string, seed: Buffer): string {
  let id = prefix;
  for (let i = 0; id.length < prefix.length + 16; i++)
    id += BASE32[seed[i] % 32];
  return id;
}

interface SessionClaims {
  /** The access key id. */
  k: string;
  /** The identity's ARN, user id and account. */
  a: string;
  u: string;
  c: string;
  /** Expiration, epoch seconds. */
  x: number;
}

/**
 * Issues the temporary credentials of the sandbox's STS and recognizes them again. Nothing is
 * stored: the session token carries the session (key id, identity, expiration) under a MAC,
 * and the secret key is derived from the key id, so credentials survive a restart of the
 * sandbox, as AWS's do.
 */
export class AwsCredentialIssuer {
  constructor(
    private readonly keys: IdentityKeys,
    readonly accountId: string,
  ) {}

  /** The identity of the long-term test key. */
  get testUser(): AwsCallerIdentity {
    return {
      arn: `arn:aws:iam::${this.accountId}:user/${SANDBOX_TEST_CREDENTIALS.userName}`,
      userId: uniqueId(
        'AIDA',
        this.keys.mac('user-id', SANDBOX_TEST_CREDENTIALS.userName),
      ),
      account: this.accountId,
    };
  }

  /** Credentials of a role session: `ASIA…` key, secret, session token. */
  issueRoleSession(
    roleArn: string,
    sessionName: string,
    expiresAt: number,
  ): AwsTemporaryCredentials {
    const [, , , , account, resource] = roleArn.split(':');
    const roleName = resource.split('/').pop()!;
    const accessKeyId = uniqueId('ASIA', crypto.randomBytes(16));
    const identity: AwsCallerIdentity = {
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`,
      userId: `${uniqueId(
        'AROA',
        this.keys.mac('role-id', roleArn),
      )}:${sessionName}`,
      account,
    };
    const claims: SessionClaims = {
      k: accessKeyId,
      a: identity.arn,
      u: identity.userId,
      c: account,
      x: Math.floor(expiresAt / 1000),
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64');
    const mac = this.keys.mac('session-token', body).toString('base64');
    return {
      accessKeyId,
      secretAccessKey: this.#secretOf(accessKeyId),
      sessionToken: `${body}.${mac}`,
      expiresAt: claims.x * 1000,
      identity,
    };
  }

  /**
   * The key `accessKeyId` (with `sessionToken` for temporary credentials), as STS resolves the
   * caller of a signed request; throws STS's error for an unknown, mismatched or expired key.
   */
  resolve(
    accessKeyId: string,
    sessionToken: string | undefined,
    nowMs: number,
  ): AwsAccessKey {
    if (accessKeyId === SANDBOX_TEST_CREDENTIALS.accessKeyId && !sessionToken) {
      return {
        accessKeyId,
        secretAccessKey: SANDBOX_TEST_CREDENTIALS.secretAccessKey,
        identity: this.testUser,
      };
    }
    if (!accessKeyId.startsWith('ASIA') || !sessionToken) {
      throw new AwsKeyError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    }
    const [body, mac] = sessionToken.split('.');
    const expected = this.keys
      .mac('session-token', body ?? '')
      .toString('base64');
    let claims: SessionClaims | undefined;
    if (mac && sameSecret(mac, expected)) {
      claims = JSON.parse(
        Buffer.from(body, 'base64').toString(),
      ) as SessionClaims;
    }
    if (!claims || claims.k !== accessKeyId) {
      throw new AwsKeyError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
      );
    }
    if (nowMs >= claims.x * 1000) {
      throw new AwsKeyError(
        'ExpiredToken',
        'The security token included in the request is expired',
      );
    }
    return {
      accessKeyId,
      secretAccessKey: this.#secretOf(accessKeyId),
      sessionToken,
      expiresAt: claims.x * 1000,
      identity: { arn: claims.a, userId: claims.u, account: claims.c },
    };
  }

  #secretOf(accessKeyId: string): string {
    return this.keys
      .mac('secret-access-key', accessKeyId)
      .toString('base64')
      .slice(0, 40);
  }
}
