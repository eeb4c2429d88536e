import crypto from 'node:crypto';
import { StateFile } from './StateFile';

/** An installation access token lives an hour, as on GitHub. */
export const INSTALLATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

interface StoredToken {
  installationId: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const digest = (token: string) =>
  crypto.createHash('sha256').update(token).digest('hex');

/**
 * The installation access tokens the sandbox's GitHub issued (`ghs_…`, random, an hour each).
 * They are kept in the data folder by their SHA-256 only, so that a portal's cached token keeps
 * working across a sandbox restart and no token is written down; expired ones are forgotten.
 */
export class InstallationTokens {
  readonly #file: StateFile<Record<string, StoredToken>>;
  readonly #now: () => number;

  static open(
    file: string,
    options: { now?: () => number } = {},
  ): InstallationTokens {
    return new InstallationTokens(
      StateFile.open(file, () => ({})),
      options.now ?? Date.now,
    );
  }

  private constructor(
    file: StateFile<Record<string, StoredToken>>,
    now: () => number,
  ) {
    this.#file = file;
    this.#now = now;
  }

  /** A new token of the installation, and when it expires. */
  issue(installationId: number): { token: string; expiresAt: Date } {
    const now = this.#now();
    const tokens = this.#file.state;
    for (const [key, stored] of Object.entries(tokens))
      if (stored.expiresAt <= now) delete tokens[key];
    // 36 characters after the prefix, as GitHub's are.
    const token = `ghs_${crypto
      .randomBytes(27)
      .toString('base64url')
      .replace(/[-_]/g, '0')}`;
    const expiresAt = now + INSTALLATION_TOKEN_LIFETIME_MS;
    tokens[digest(token)] = { installationId, expiresAt };
    this.#file.save();
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** The installation a token belongs to; undefined when it is unknown or has expired. */
  installationOf(token: string): number | undefined {
    const stored = this.#file.state[digest(token)];
    return stored && stored.expiresAt > this.#now()
      ? stored.installationId
      : undefined;
  }
}
