import type { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';

/**
 * Marks the pull requests the portal opens (in their body), so that it only ever touches, and
 * only records, its own.
 *
 * @public
 */
export const PORTAL_MARKER = '<!-- opened-by: omnivision-portal -->';

/** The GitOps repository and how the portal reaches it as itself. @public */
export interface GitOpsRepository {
  /** GitHub's REST base URL, e.g. `https://api.github.com` or `<sandbox>/api/v3`. */
  apiBaseUrl: string;
  owner: string;
  repo: string;
  baseBranch: string;
  /** The portal's own token (its GitHub App installation in production). */
  token: string;
}

/**
 * Finds the GitOps repository of `omnivision.gitops` and the portal's credentials for it: those
 * of the `integrations.github` entry of its host (a GitHub App in production). Fails at start-up
 * when the host has no integration; fetches a fresh token on each call.
 *
 * @public
 */
export function gitOpsRepositoryLocator(
  config: Config,
): () => Promise<GitOpsRepository> {
  const gitops = config.getConfig('omnivision.gitops');
  const host = gitops.getString('host');
  const owner = gitops.getString('owner');
  const repo = gitops.getString('repo');
  const baseBranch = gitops.getOptionalString('baseBranch') ?? 'main';
  const integrations = ScmIntegrations.fromConfig(config);
  const integration = integrations.github.byHost(host);
  if (!integration) {
    throw new Error(
      `omnivision.gitops.host ${host} has no integrations.github entry`,
    );
  }
  const credentials =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  return async () => {
    const { token } = await credentials.getCredentials({
      url: `https://${host}/${owner}/${repo}`,
    });
    if (!token) {
      throw new Error(`no GitHub credentials for ${host}/${owner}/${repo}`);
    }
    return {
      apiBaseUrl: integration.config.apiBaseUrl!,
      owner,
      repo,
      baseBranch,
      token,
    };
  };
}
