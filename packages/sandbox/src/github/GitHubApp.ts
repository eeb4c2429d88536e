/**
 * The portal's GitHub App as the sandbox's GitHub knows it. The sandbox has no app
 * authentication (JWTs, installation tokens): the app acts as the user `omnivision-portal`, with
 * the token of the GitHub integration in `app-config.sandbox.yaml`. Its ids are what GitHub would show:
 * branch protection requires the approval status from this app, and webhooks are the app's
 * (`installation` in every payload, the `X-GitHub-Hook-*` headers).
 */
export const PORTAL_APP = {
  /** The login the app acts as, one of the sandbox's users (role `app`). */
  login: 'omnivision-portal',
  /** The app's id: a required status check with this `app_id` counts only the app's statuses. */
  appId: 3001,
  /** The app's one installation, on the organization. */
  installationId: 4001,
  /** The app's webhook. */
  hookId: 5001,
} as const;

/** The id of the GitHub App a user acts for, if any: statuses it creates come from that app. */
export function appIdOf(login: string): number | undefined {
  return login === PORTAL_APP.login ? PORTAL_APP.appId : undefined;
}
