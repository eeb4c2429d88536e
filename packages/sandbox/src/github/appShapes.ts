import { PORTAL_APP } from './GitHubApp';
import type { GitHubShapes } from './restShapes';
import { SANDBOX_EPOCH, isoSeconds, nodeId } from './repositoryShapes';

/**
 * The portal's GitHub App as GitHub's REST API describes it: `integration` (`GET /app`),
 * `installation` (its one installation, on the organization, every repository) and
 * `installation-token` (an access token just issued).
 */
export function createAppShapes(ctx: {
  owner: string;
  shapes: GitHubShapes;
  apiBaseUrl: () => string;
  webBaseUrl: () => string;
}) {
  const { owner, shapes } = ctx;
  const permissions = () => ({ ...PORTAL_APP.permissions });

  /** integration. */
  const integration = () => ({
    id: PORTAL_APP.appId,
    slug: PORTAL_APP.slug,
    node_id: nodeId('Integration', PORTAL_APP.appId),
    client_id: PORTAL_APP.clientId,
    owner: shapes.organization(),
    name: PORTAL_APP.name,
    description:
      'Opens the GitOps pull requests of model deployments and posts their approval status',
    external_url: ctx.webBaseUrl(),
    html_url: `${ctx.webBaseUrl()}/apps/${PORTAL_APP.slug}`,
    created_at: SANDBOX_EPOCH,
    updated_at: SANDBOX_EPOCH,
    permissions: permissions(),
    events: [...PORTAL_APP.events],
    installations_count: 1,
  });

  /**
   * installation. Its account is the organization; the list of installations describes an
   * account as both a simple-user and an enterprise (`allOf`), so it carries an enterprise's
   * name, slug and dates too, which the single installation's `anyOf` allows.
   */
  const installation = () => {
    const account = {
      ...shapes.organization(),
      name: owner,
      slug: owner,
      created_at: SANDBOX_EPOCH,
      updated_at: SANDBOX_EPOCH,
    };
    const id = PORTAL_APP.installationId;
    return {
      id,
      account,
      repository_selection: 'all' as const,
      access_tokens_url: `${ctx.apiBaseUrl()}/app/installations/${id}/access_tokens`,
      repositories_url: `${ctx.apiBaseUrl()}/installation/repositories`,
      html_url: `${ctx.webBaseUrl()}/organizations/${owner}/settings/installations/${id}`,
      app_id: PORTAL_APP.appId,
      app_slug: PORTAL_APP.slug,
      client_id: PORTAL_APP.clientId,
      target_id: account.id,
      target_type: 'Organization',
      permissions: permissions(),
      events: [...PORTAL_APP.events],
      created_at: SANDBOX_EPOCH,
      updated_at: SANDBOX_EPOCH,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    };
  };

  /**
   * installation-token: the token, when it expires, its permissions, and its repositories when
   * the request named them (`selected`).
   */
  const installationToken = (issued: {
    token: string;
    expiresAt: Date;
    permissions: Record<string, string>;
    repositories?: Array<ReturnType<GitHubShapes['repository']>>;
  }) => ({
    token: issued.token,
    expires_at: isoSeconds(issued.expiresAt),
    permissions: issued.permissions,
    repository_selection: issued.repositories ? 'selected' : 'all',
    ...(issued.repositories ? { repositories: issued.repositories } : {}),
  });

  return { integration, installation, installationToken };
}
