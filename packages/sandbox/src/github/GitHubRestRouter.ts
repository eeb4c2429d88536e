import express, { NextFunction, Request, Response } from 'express';
import type { GitRepository } from './GitRepository';
import { GitInputError } from './GitRepository';
import type { GitHubUser } from './GitHubUsers';
import type { RequestStats } from '../RequestStats';
import { GitHubError, asyncHandler, fail, paginate } from './restSupport';
import type { PullRequestStore } from './PullRequestStore';
import type { CommitStatusStore } from './CommitStatusStore';
import type { GitHubAuthentication } from './GitHubAuthentication';
import type { InstallationTokens } from './InstallationTokens';
import { JWT_REFUSALS, looksLikeJwt } from './AppJwtVerifier';
import { APP_JWT_ROUTE, addAppRoutes } from './appRoutes';
import { addPullRequestRoutes } from './pullRequestRoutes';
import { addGitDataRoutes } from './gitDataRoutes';
import { addBranchRoutes } from './branchRoutes';
import { addStatusRoutes } from './statusRoutes';
import { createPullRequestModel } from './PullRequestModel';
import { createGitHubShapes } from './restShapes';
import { conditionalGets, onResponseHead } from './conditionalRequests';
import type { WebhookDeliverer } from './webhooks/WebhookDeliverer';
import { RepositoryEvents } from './webhooks/RepositoryEvents';

export interface GitHubRestRouterOptions {
  owner: string;
  repo: string;
  repository: GitRepository;
  users: GitHubUser[];
  /** Team slug (without the org) → member logins; code owners name teams. */
  teams: Record<string, string[]>;
  pulls: PullRequestStore;
  statuses: CommitStatusStore;
  /** Delivers the webhooks of the portal's GitHub App. */
  deliverer: WebhookDeliverer;
  /** Who a request's credentials are: a user, the app (its JWT) or its installation. */
  authentication: GitHubAuthentication;
  /** The app's installation access tokens, which `POST /app/installations/{id}/access_tokens` issues. */
  installationTokens: InstallationTokens;
  stats: RequestStats;
  /** e.g. http://127.0.0.1:7010, for html_url and url fields. */
  baseUrl: () => string;
}

/** The path template a request's path is counted under in `/sandbox/stats`. */
function endpointOf(path: string, owner: string, repo: string): string {
  return path
    .replace(`/repos/${owner}/${repo}`, '/repos/{owner}/{repo}')
    .replace(/\/[0-9a-f]{40}$/, '/{sha}')
    .replace(/\/(git\/(?:ref|refs))\/.+$/, '/$1/{ref}')
    .replace(/\/contents\/.+$/, '/contents/{path}')
    .replace(/\/(pulls|issues)\/\d+/, '/$1/{number}')
    .replace(
      /\/commits\/.+\/(status|statuses|check-runs)$/,
      '/commits/{ref}/$1',
    )
    .replace(
      /^\/app\/installations\/[^/]+/,
      '/app/installations/{installation_id}',
    )
    .replace(/^\/orgs\/[^/]+\/installation$/, '/orgs/{org}/installation');
}

/**
 * GitHub's REST API as GitHub Enterprise serves it under /api/v3, for one repository backed by a
 * real git repository: the authenticated user, the repository, git refs, blobs, trees and
 * commits, branches and their protection, contents, pull requests, reviews, labels and commit
 * statuses. Every body has the shape of GitHub's published description (see restShapes.ts);
 * every GET answers with an `ETag` and honours `If-None-Match` (conditionalRequests.ts); what
 * happens is delivered as the portal's GitHub App's webhooks (webhooks/).
 */
export function createGitHubRestRouter(
  options: GitHubRestRouterOptions,
): express.Router {
  const { owner, repo, repository, users, stats } = options;
  const router = express.Router();
  router.use(express.json({ limit: '10mb' }));

  const api = () => `${options.baseUrl()}/api/v3`;
  const shapes = createGitHubShapes({
    owner,
    repo,
    webBaseUrl: options.baseUrl,
    apiBaseUrl: api,
    teams: options.teams,
  });
  const ctx = {
    owner,
    repo,
    repository,
    store: options.pulls,
    statuses: options.statuses,
    users,
    teams: options.teams,
    shapes,
  };
  const model = createPullRequestModel(ctx);
  const events = RepositoryEvents.create({
    deliverer: options.deliverer,
    repository,
    pulls: options.pulls,
    users,
    shapes,
    model,
  });

  // Authentication: `Authorization: token X` or `Bearer X`, as the app (a JWT), an installation
  // (`ghs_`) or a user (GitHubAuthentication.ts). Every call is counted under its principal as it
  // is answered: a 304 Not Modified apart, as GitHub does not count it against the rate limit.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    const token = header.replace(/^(token|bearer)\s+/i, '').trim();
    const entry = {
      tokenLabel: token ? 'invalid-token' : 'anonymous',
      endpoint: endpointOf(req.path, owner, repo),
      verb: req.method,
    };
    onResponseHead(res, () => {
      if (res.statusCode === 304) stats.recordNotModified('github', entry);
      else stats.record('github', entry);
    });
    res.setHeader('X-GitHub-Media-Type', 'github.v3; format=json');
    res.setHeader('X-RateLimit-Limit', '5000');
    res.setHeader('X-RateLimit-Remaining', '4999');
    const appRoute = APP_JWT_ROUTE.test(req.path);
    if (appRoute && !looksLikeJwt(token)) {
      fail(res, 401, JWT_REFUSALS.undecodable);
      return;
    }
    options.authentication.authenticate(token).then(
      principal => {
        entry.tokenLabel = principal.label;
        res.locals.principal = principal;
        if (principal.kind === 'app') {
          if (!appRoute) {
            fail(res, 403, 'Resource not accessible by integration');
            return;
          }
        } else {
          res.locals.user = principal.user;
        }
        next();
      },
      error => {
        if (error instanceof GitHubError)
          fail(res, error.status, error.message);
        else next(error);
      },
    );
  });
  router.use(conditionalGets());

  // An installation acts as its bot, which is no user signed in.
  router.use('/user', (_req: Request, res: Response, next: NextFunction) => {
    if (res.locals.principal.kind === 'installation')
      fail(res, 403, 'Resource not accessible by integration');
    else next();
  });

  router.get('/user', (_req, res) => {
    res.json(shapes.privateUser(res.locals.user));
  });

  router.get('/user/emails', (req, res) => {
    const user: GitHubUser = res.locals.user;
    const emails = [
      {
        email: user.email,
        primary: true,
        verified: true,
        visibility: 'private',
      },
    ];
    res.json(paginate(req, res, emails, `${api()}/user/emails`));
  });

  // Only the one repository exists; GitHub answers 404 for what a token cannot see.
  router.use(
    '/repos/:owner/:repo',
    (req: Request, res: Response, next: NextFunction) => {
      if (req.params.owner !== owner || req.params.repo !== repo) {
        fail(res, 404, 'Not Found');
        return;
      }
      next();
    },
  );

  const base = `/repos/:owner/:repo`;

  router.get(
    base,
    asyncHandler(async (_req, res) => {
      res.json(shapes.fullRepository(await model.pushedAt()));
    }),
  );

  addGitDataRoutes(router, base, { repository, shapes, events });
  addBranchRoutes(router, base, { repository, users, shapes });

  router.get(
    `${base}/contents/*`,
    asyncHandler(async (req, res) => {
      const path = req.params[0].replace(/\/+$/, '');
      const refName =
        typeof req.query.ref === 'string' ? req.query.ref : 'main';
      const commitSha = /^[0-9a-f]{40}$/.test(refName)
        ? refName
        : await repository.resolveRef(`refs/heads/${refName}`);
      if (!commitSha)
        throw new GitHubError(404, `No commit found for the ref ${refName}`);
      const entry = await repository.entryAt(commitSha, path);
      if (!entry) throw new GitHubError(404, 'Not Found');
      const item = (p: string, e: { type: string; sha: string }, size = 0) => {
        const dir = e.type === 'tree';
        const links = {
          self: `${shapes.repoApi()}/contents/${p}?ref=${refName}`,
          git: `${shapes.repoApi()}/git/${dir ? 'trees' : 'blobs'}/${e.sha}`,
          html: `${shapes.repoWeb()}/${dir ? 'tree' : 'blob'}/${refName}/${p}`,
        };
        return {
          type: dir ? 'dir' : 'file',
          name: p.split('/').pop(),
          path: p,
          sha: e.sha,
          size,
          url: links.self,
          html_url: links.html,
          git_url: links.git,
          download_url: dir
            ? null
            : `${options.baseUrl()}/raw/${owner}/${repo}/${refName}/${p}`,
          _links: links,
        };
      };
      if (entry.type === 'tree') {
        const children = await repository.readTree(entry.sha);
        res.json(
          children.map(c =>
            item(path ? `${path}/${c.path}` : c.path, c, c.size ?? 0),
          ),
        );
      } else {
        const blob = (await repository.readBlob(entry.sha))!;
        res.json({
          ...item(path, entry, blob.length),
          encoding: 'base64',
          content: blob.toString('base64'),
        });
      }
    }),
  );

  addAppRoutes(router, {
    owner,
    repo,
    shapes,
    tokens: options.installationTokens,
    apiBaseUrl: api,
    webBaseUrl: options.baseUrl,
    pushedAt: () => model.pushedAt(),
  });
  addPullRequestRoutes(router, base, ctx, model, events);
  addStatusRoutes(router, base, {
    repository,
    statuses: options.statuses,
    users,
    shapes,
    events,
  });

  router.use((_req: Request, res: Response) => fail(res, 404, 'Not Found'));
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  router.use(
    (error: Error, _req: Request, res: Response, _next: NextFunction) => {
      if (error instanceof GitHubError)
        fail(res, error.status, error.message, error.errors);
      else if (error instanceof GitInputError) fail(res, 422, error.message);
      else fail(res, 500, `sandbox error: ${error.message}`);
    },
  );
  return router;
}
