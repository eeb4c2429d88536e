import crypto from 'node:crypto';
import { IdentityKeys, sameSecret } from './IdentityKeys';

/** The prefix of Google OAuth 2.0 access tokens. */
export const GOOGLE_ACCESS_TOKEN_PREFIX = 'ya29.';

interface AccessTokenClaims {
  /** The service account's email. */
  e: string;
  /** Expiration, epoch seconds. */
  x: number;
  /** Random, so that no two tokens are alike. */
  n: string;
}

/**
 * The OAuth 2.0 access tokens of the sandbox's Google service accounts (`ya29.…`, opaque to
 * clients): issued by its metadata server, accepted by its GKE API servers until they expire.
 * Nothing is stored: a token carries its account and expiry under a MAC, so tokens survive a
 * restart of the sandbox, as Google's do.
 */
export class GoogleAccessTokens {
  constructor(private readonly keys: IdentityKeys) {}

  issue(email: string, expiresAt: number): string {
    const claims: AccessTokenClaims = {
      e: email,
      x: Math.floor(expiresAt / 1000),
      n: crypto.randomBytes(12).toString('base64url'),
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${GOOGLE_ACCESS_TOKEN_PREFIX}${body}.${this.#mac(body)}`;
  }

  /** The service account's email, or undefined for a token it did not issue or that expired. */
  verify(token: string, nowMs: number): string | undefined {
    if (!token.startsWith(GOOGLE_ACCESS_TOKEN_PREFIX)) return undefined;
    const [body, mac] = token
      .slice(GOOGLE_ACCESS_TOKEN_PREFIX.length)
      .split('.');
    if (!body || !mac || !sameSecret(mac, this.#mac(body))) return undefined;
    const claims = JSON.parse(
      Buffer.from(body, 'base64url').toString(),
    ) as AccessTokenClaims;
    return nowMs < claims.x * 1000 ? claims.e : undefined;
  }

  #mac(body: string) {
    return this.keys.mac('google-access-token', body).toString('base64url');
  }
}
