/**
 * The portal's GitHub App as the sandbox's GitHub knows it, with what GitHub would show: its ids,
 * its one installation (on the organization, all repositories), the permissions it was granted
 * and the events it subscribes to. The app authenticates as GitHub Apps do (a JWT signed with its
 * private key, then installation access tokens: see AppJwtVerifier.ts, InstallationTokens.ts,
 * appRoutes.ts); an installation token acts as the app's bot user `omnivision-portal[bot]`.
 * Branch protection requires the approval status from this app, and webhooks are the app's
 * (`installation` in every payload, the `X-GitHub-Hook-*` headers).
 */
export const PORTAL_APP = {
  /** The app's slug: its page is `<web>/apps/<slug>`. */
  slug: 'omnivision-portal',
  name: 'OmniVision Portal',
  /** The login its installation tokens act as, one of the sandbox's users (role `app`). */
  login: 'omnivision-portal[bot]',
  /** The app's id: a required status check with this `app_id` counts only the app's statuses. */
  appId: 3001,
  /** The app's client id: GitHub accepts it as a JWT's `iss` too. Development-only constant. */
  clientId: 'Iv23liSandboxPortalApp',
  /** The app's client secret (its OAuth side, unused by the portal). Development-only constant. */
  clientSecret: 'sandbox-portal-app-client-secret',
  /** The app's one installation, on the organization. */
  installationId: 4001,
  /** The app's webhook. */
  hookId: 5001,
  /** What the installation was granted, as the production app's settings (README, "The GitHub App"). */
  permissions: {
    administration: 'read',
    contents: 'write',
    metadata: 'read',
    pull_requests: 'write',
    statuses: 'write',
  } as Record<string, 'read' | 'write'>,
  events: ['pull_request', 'pull_request_review', 'push', 'status'],
} as const;

/**
 * How `/sandbox/stats` names the app's calls: those authenticated with its JWT, and those of an
 * installation's access token (never the token itself).
 */
export const APP_PRINCIPAL = `app:${PORTAL_APP.slug}`;
export const INSTALLATION_PRINCIPAL = `${APP_PRINCIPAL}/installation:${PORTAL_APP.installationId}`;

/** The id of the GitHub App a user acts for, if any: statuses it creates come from that app. */
export function appIdOf(login: string): number | undefined {
  return login === PORTAL_APP.login ? PORTAL_APP.appId : undefined;
}
