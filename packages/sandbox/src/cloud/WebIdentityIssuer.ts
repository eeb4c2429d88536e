import crypto from 'node:crypto';
import type { IdentityKeys } from './IdentityKeys';

/** The claims of a projected service account token, as EKS's OIDC issuer signs them for IRSA. */
export interface WebIdentityClaims {
  iss: string;
  sub: string;
  aud: string[];
  iat: number;
  nbf: number;
  exp: number;
  'kubernetes.io'?: {
    namespace: string;
    serviceaccount: { name: string; uid: string };
  };
}

/** Why a web identity token is refused, in STS's terms. */
export class WebIdentityTokenError extends Error {
  constructor(
    readonly code: 'InvalidIdentityToken' | 'ExpiredTokenException',
    message: string,
  ) {
    super(message);
  }
}

const b64json = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The sandbox's OIDC issuer: it signs projected-service-account-like tokens (RS256 JWTs, as a
 * Kubernetes API server's service account issuer does) that its STS accepts in
 * `AssumeRoleWithWebIdentity`, and publishes its discovery document and JWKS.
 */
export class WebIdentityIssuer {
  constructor(
    private readonly keys: IdentityKeys,
    /** The `iss` of its tokens: a URL under which it serves its discovery document. */
    private readonly issuer: () => string,
  ) {}

  get issuerUrl(): string {
    return this.issuer();
  }

  issue(
    claims: Omit<WebIdentityClaims, 'iss' | 'iat' | 'nbf' | 'exp'>,
    nowMs: number,
    lifetimeSeconds: number,
  ): string {
    const iat = Math.floor(nowMs / 1000);
    const header = { alg: 'RS256', kid: this.keys.issuerKeyId };
    const payload: WebIdentityClaims = {
      ...claims,
      iss: this.issuer(),
      iat,
      nbf: iat,
      exp: iat + lifetimeSeconds,
    };
    const signingInput = `${b64json(header)}.${b64json(payload)}`;
    const signature = crypto
      .sign('sha256', Buffer.from(signingInput), this.keys.issuerKey)
      .toString('base64url');
    return `${signingInput}.${signature}`;
  }

  /** Checks a token's signature, issuer, audience and lifetime; returns its claims. */
  verify(token: string, audience: string, nowMs: number): WebIdentityClaims {
    const parts = token.trim().split('.');
    if (parts.length !== 3) {
      throw new WebIdentityTokenError(
        'InvalidIdentityToken',
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
      );
    }
    let header: { alg?: string; kid?: string };
    let claims: WebIdentityClaims;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
    } catch {
      throw new WebIdentityTokenError(
        'InvalidIdentityToken',
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
      );
    }
    if (claims.iss !== this.issuer()) {
      throw new WebIdentityTokenError(
        'InvalidIdentityToken',
        `No OpenIDConnect provider found in your account for ${claims.iss}`,
      );
    }
    const signed =
      header.alg === 'RS256' &&
      header.kid === this.keys.issuerKeyId &&
      crypto.verify(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        this.keys.issuerPublicKey,
        Buffer.from(parts[2], 'base64url'),
      );
    if (!signed) {
      throw new WebIdentityTokenError(
        'InvalidIdentityToken',
        "Couldn't verify the signature of the ID token with the keys of your identity provider",
      );
    }
    const audiences = [claims.aud].flat();
    if (!audiences.includes(audience)) {
      throw new WebIdentityTokenError(
        'InvalidIdentityToken',
        'Incorrect token audience',
      );
    }
    const now = Math.floor(nowMs / 1000);
    if (typeof claims.exp !== 'number' || now >= claims.exp) {
      throw new WebIdentityTokenError(
        'ExpiredTokenException',
        `Token expired: current date/time ${now} must be before the expiration date/time${claims.exp}`,
      );
    }
    if (typeof claims.nbf === 'number' && now + 300 < claims.nbf) {
      throw new WebIdentityTokenError(
        'InvalidIdentityToken',
        'Token is not yet valid',
      );
    }
    return claims;
  }

  /** The OIDC discovery document (`<issuer>/.well-known/openid-configuration`). */
  discovery() {
    const issuer = this.issuer();
    return {
      issuer,
      jwks_uri: `${issuer}/keys`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss'],
    };
  }

  /** The JWKS (`<issuer>/keys`). */
  jwks() {
    const jwk = this.keys.issuerPublicKey.export({ format: 'jwk' });
    return {
      keys: [{ ...jwk, kid: this.keys.issuerKeyId, use: 'sig', alg: 'RS256' }],
    };
  }
}
