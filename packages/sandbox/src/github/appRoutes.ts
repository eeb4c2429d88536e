import type { Router } from 'express';
import { PORTAL_APP } from './GitHubApp';
import type { InstallationTokens } from './InstallationTokens';
import type { GitHubShapes } from './restShapes';
import { createAppShapes } from './appShapes';
import { GitHubError, asyncHandler, paginate } from './restSupport';

/**
 * The routes GitHub answers only to a GitHub App's JWT (`Authorization: Bearer <jwt>`): the app,
 * its installations, an installation's access tokens, and where it is installed.
 */
export const APP_JWT_ROUTE =
  /^\/(?:app(?:\/.*)?|repos\/[^/]+\/[^/]+\/installation|orgs\/[^/]+\/installation|users\/[^/]+\/installation)$/;

const ACCESS_LEVELS = ['read', 'write'];

/**
 * What a GitHub App authenticated with its JWT calls, as `@octokit/auth-app` and Backstage's
 * `GithubAppManager` do: `GET /app`, `GET /app/installations`, `GET /app/installations/{id}`,
 * `POST /app/installations/{id}/access_tokens` (a `ghs_` token for an hour, optionally narrowed
 * to the repository and to fewer permissions), `GET /repos/{owner}/{repo}/installation` and
 * `GET /orgs/{org}/installation`. The router's authentication lets only the app's JWT in.
 */
export function addAppRoutes(
  router: Router,
  ctx: {
    owner: string;
    repo: string;
    shapes: GitHubShapes;
    tokens: InstallationTokens;
    apiBaseUrl: () => string;
    webBaseUrl: () => string;
    pushedAt: () => Promise<string>;
  },
) {
  const { owner, repo, shapes, tokens } = ctx;
  const app = createAppShapes(ctx);

  const installationOf = (id: string) => {
    if (id !== String(PORTAL_APP.installationId))
      throw new GitHubError(404, 'Not Found');
    return app.installation();
  };

  router.get('/app', (_req, res) => {
    res.json(app.integration());
  });

  router.get('/app/installations', (req, res) => {
    res.json(
      paginate(
        req,
        res,
        [app.installation()],
        `${ctx.apiBaseUrl()}/app/installations`,
      ),
    );
  });

  router.get('/app/installations/:installationId', (req, res) => {
    res.json(installationOf(req.params.installationId));
  });

  router.post(
    '/app/installations/:installationId/access_tokens',
    asyncHandler(async (req, res) => {
      const installation = installationOf(req.params.installationId);
      const body = req.body ?? {};
      const permissions: Record<string, string> = {
        ...installation.permissions,
      };
      if (body.permissions !== undefined) {
        const requested = Object.entries(body.permissions ?? {});
        const granted = requested.every(
          ([name, level]) =>
            ACCESS_LEVELS.includes(String(level)) &&
            ACCESS_LEVELS.indexOf(String(level)) <=
              ACCESS_LEVELS.indexOf(installation.permissions[name]),
        );
        if (!granted || requested.length === 0)
          throw new GitHubError(
            422,
            'The permissions requested are not granted to this installation.',
          );
        for (const name of Object.keys(permissions)) delete permissions[name];
        Object.assign(permissions, Object.fromEntries(requested));
      }
      const names: unknown[] = body.repositories ?? [];
      const ids: unknown[] = body.repository_ids ?? [];
      let repositories;
      if (names.length || ids.length) {
        const repository = shapes.repository(await ctx.pushedAt());
        if (
          !names.every(n => n === repo || n === `${owner}/${repo}`) ||
          !ids.every(id => id === repository.id)
        )
          throw new GitHubError(
            422,
            'There is at least one repository that does not exist or is not accessible to the parent installation.',
          );
        repositories = [repository];
      }
      const issued = tokens.issue(installation.id);
      res
        .status(201)
        .json(app.installationToken({ ...issued, permissions, repositories }));
    }),
  );

  router.get('/repos/:owner/:repo/installation', (req, res) => {
    if (req.params.owner !== owner || req.params.repo !== repo)
      throw new GitHubError(404, 'Not Found');
    res.json(app.installation());
  });

  router.get('/orgs/:org/installation', (req, res) => {
    if (req.params.org !== owner) throw new GitHubError(404, 'Not Found');
    res.json(app.installation());
  });
}
