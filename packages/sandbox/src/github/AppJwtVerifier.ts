import type { KeyObject } from 'node:crypto';
import { compactVerify, decodeJwt } from 'jose';
import { GitHubError } from './restSupport';

/** GitHub's answers to a JWT it refuses (401), word for word. */
export const JWT_REFUSALS = {
  undecodable: 'A JSON web token could not be decoded',
  issuer: "'Issuer' claim ('iss') must be an Integer",
  issuedAt:
    "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  expired:
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  tooFar: "'Expiration time' claim ('exp') is too far in the future",
} as const;

/** A JWT lives 10 minutes at the most. */
const MAX_LIFETIME_SECONDS = 10 * 60;
/** How far the app's clock may be from GitHub's (GitHub's docs suggest `iat` 60 s in the past). */
const CLOCK_SKEW_SECONDS = 60;

/** What a JWT looks like: three base64url parts, a JSON header first. */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);
}

export interface AppJwtVerifierOptions {
  appId: number;
  clientId: string;
  /** The public half of the app's private key. */
  publicKey: KeyObject;
  /** Now, in milliseconds since the epoch (a test's clock). */
  now?: () => number;
}

/**
 * Verifies a GitHub App's JWT as GitHub does: RS256 signed with the app's private key, `iss` the
 * app id (a number or its digits) or the app's client id, `iat` not in the future and `exp` not
 * past (a minute of clock skew either way), at most 10 minutes after `iat` and from now.
 */
export class AppJwtVerifier {
  static create(options: AppJwtVerifierOptions): AppJwtVerifier {
    return new AppJwtVerifier(options);
  }

  readonly #options: AppJwtVerifierOptions;

  private constructor(options: AppJwtVerifierOptions) {
    this.#options = options;
  }

  /** Resolves with the app id; rejects with the `GitHubError` (401) GitHub would answer. */
  async verify(jwt: string): Promise<number> {
    const { appId, clientId, publicKey } = this.#options;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(jwt);
    } catch {
      throw new GitHubError(401, JWT_REFUSALS.undecodable);
    }
    const iss = claims.iss as unknown;
    const byId = typeof iss === 'number' || /^\d+$/.test(String(iss));
    if (!byId && iss !== clientId)
      throw new GitHubError(401, JWT_REFUSALS.issuer);
    // An unknown app has no key to verify with: GitHub cannot decode the token.
    if (byId && Number(iss) !== appId)
      throw new GitHubError(401, JWT_REFUSALS.undecodable);
    try {
      await compactVerify(jwt, publicKey, { algorithms: ['RS256'] });
    } catch {
      throw new GitHubError(401, JWT_REFUSALS.undecodable);
    }
    const now = Math.floor((this.#options.now?.() ?? Date.now()) / 1000);
    const { iat, exp } = claims;
    if (!Number.isInteger(iat) || iat! > now + CLOCK_SKEW_SECONDS)
      throw new GitHubError(401, JWT_REFUSALS.issuedAt);
    if (!Number.isInteger(exp) || exp! <= now - CLOCK_SKEW_SECONDS)
      throw new GitHubError(401, JWT_REFUSALS.expired);
    if (
      exp! - iat! > MAX_LIFETIME_SECONDS ||
      exp! > now + MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS
    )
      throw new GitHubError(401, JWT_REFUSALS.tooFar);
    return appId;
  }
}
