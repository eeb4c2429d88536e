import type { GitHubUser } from './GitHubUsers';
import type { OAuthTokens } from './OAuthRouter';
import type { InstallationTokens } from './InstallationTokens';
import { AppJwtVerifier, JWT_REFUSALS, looksLikeJwt } from './AppJwtVerifier';
import { APP_PRINCIPAL, INSTALLATION_PRINCIPAL, PORTAL_APP } from './GitHubApp';
import { GitHubError } from './restSupport';

/**
 * Who a request acts as: a person or the app's bot with a personal or OAuth token (`user`), the
 * app's bot with an installation access token (`installation`), or the app itself with its JWT
 * (`app`). `label` names it in `/sandbox/stats`, never by its token.
 */
export type GitHubPrincipal =
  | { kind: 'user'; user: GitHubUser; label: string }
  | {
      kind: 'installation';
      user: GitHubUser;
      installationId: number;
      label: string;
    }
  | { kind: 'app'; appId: number; label: string };

/**
 * Authenticates a request's credentials (`Authorization: token X` or `Bearer X`) as GitHub
 * does: a JWT is the app's (verified, refused with GitHub's messages), a `ghs_` token an
 * installation's (until it expires), anything else a personal or OAuth token.
 */
export class GitHubAuthentication {
  static create(options: {
    users: GitHubUser[];
    oauthTokens: OAuthTokens;
    installationTokens: InstallationTokens;
    jwtVerifier: AppJwtVerifier;
  }): GitHubAuthentication {
    return new GitHubAuthentication(options);
  }

  private constructor(
    private readonly options: {
      users: GitHubUser[];
      oauthTokens: OAuthTokens;
      installationTokens: InstallationTokens;
      jwtVerifier: AppJwtVerifier;
    },
  ) {}

  /** The principal, or a `GitHubError` (401) with GitHub's message. */
  async authenticate(token: string): Promise<GitHubPrincipal> {
    const { users } = this.options;
    if (looksLikeJwt(token)) {
      const appId = await this.options.jwtVerifier.verify(token);
      return { kind: 'app', appId, label: APP_PRINCIPAL };
    }
    if (token.startsWith('ghs_')) {
      const installationId =
        this.options.installationTokens.installationOf(token);
      const bot = users.find(u => u.login === PORTAL_APP.login);
      if (installationId === undefined || !bot)
        throw new GitHubError(401, 'Bad credentials');
      return {
        kind: 'installation',
        user: bot,
        installationId,
        label: INSTALLATION_PRINCIPAL,
      };
    }
    const oauthLogin = token && this.options.oauthTokens.loginOf(token);
    const user = token
      ? users.find(u => u.token === token || u.login === oauthLogin)
      : undefined;
    if (!user) throw new GitHubError(401, 'Bad credentials');
    return { kind: 'user', user, label: user.login };
  }
}

/** What GitHub answers credentials that are not a JWT on a route only an app's JWT may call. */
export const NOT_A_JWT = JWT_REFUSALS.undecodable;
