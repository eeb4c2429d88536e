import express, { NextFunction, Request, Response } from 'express';
import type { GitRepository, TreeEntryInput } from './GitRepository';
import { GitInputError } from './GitRepository';
import type { GitHubUser } from './GitHubUsers';
import type { RequestStats } from '../RequestStats';
import { GitHubError, asyncHandler, fail } from './restSupport';
import type { PullRequestStore } from './PullRequestStore';
import type { OAuthTokens } from './OAuthRouter';
import { addPullRequestRoutes } from './pullRequestRoutes';

export interface GitHubRestRouterOptions {
  owner: string;
  repo: string;
  repository: GitRepository;
  users: GitHubUser[];
  /** Team slug (without the org) → member logins; code owners name teams. */
  teams: Record<string, string[]>;
  pulls: PullRequestStore;
  /** Tokens issued by the OAuth web flow, besides the users' personal access tokens. */
  oauthTokens: OAuthTokens;
  stats: RequestStats;
  /** e.g. http://127.0.0.1:7010, for html_url and url fields. */
  baseUrl: () => string;
}

/**
 * GitHub's REST API as GitHub Enterprise serves it under /api/v3, for one repository backed by a
 * real git repository: the authenticated user, the repository, git refs, blobs, trees and
 * commits, and contents. Pull requests, reviews and branch protection are still to come.
 */
export function createGitHubRestRouter(
  options: GitHubRestRouterOptions,
): express.Router {
  const { owner, repo, repository, users, stats } = options;
  const router = express.Router();
  router.use(express.json({ limit: '10mb' }));

  const api = () => `${options.baseUrl()}/api/v3`;
  const repoApi = () => `${api()}/repos/${owner}/${repo}`;
  const userJson = (u: GitHubUser) => ({
    login: u.login,
    id: u.id,
    node_id: Buffer.from(`User${u.id}`).toString('base64'),
    type: 'User',
    site_admin: false,
    name: u.name,
    email: u.email,
    url: `${api()}/users/${u.login}`,
    html_url: `${options.baseUrl()}/${u.login}`,
    avatar_url: `${options.baseUrl()}/avatars/${u.login}`,
  });

  // Authentication: `Authorization: token X` or `Bearer X`; every call is counted.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    const token = header.replace(/^(token|bearer)\s+/i, '');
    const oauthLogin = options.oauthTokens.loginOf(token);
    const user = users.find(
      u => u.token === token || (oauthLogin && u.login === oauthLogin),
    );
    const endpoint = req.path
      .replace(`/repos/${owner}/${repo}`, '/repos/{owner}/{repo}')
      .replace(/\/[0-9a-f]{40}$/, '/{sha}')
      .replace(/\/(git\/(?:ref|refs))\/.+$/, '/$1/{ref}')
      .replace(/\/contents\/.+$/, '/contents/{path}')
      .replace(/\/(pulls|issues)\/\d+/, '/$1/{number}')
      .replace(/\/commits\/[^/]+\//, '/commits/{ref}/');
    stats.record('github', {
      tokenLabel: user?.login ?? (token ? 'invalid-token' : 'anonymous'),
      endpoint,
      verb: req.method,
    });
    res.setHeader('X-GitHub-Media-Type', 'github.v3; format=json');
    res.setHeader('X-RateLimit-Limit', '5000');
    res.setHeader('X-RateLimit-Remaining', '4999');
    if (!user) {
      fail(res, 401, 'Bad credentials');
      return;
    }
    res.locals.user = user;
    next();
  });

  router.get('/user', (_req, res) => {
    res.json(userJson(res.locals.user));
  });

  router.get('/user/emails', (_req, res) => {
    const user: GitHubUser = res.locals.user;
    res.json([
      {
        email: user.email,
        primary: true,
        verified: true,
        visibility: 'private',
      },
    ]);
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

  router.get(base, (_req, res) => {
    res.json({
      id: 4242,
      name: repo,
      full_name: `${owner}/${repo}`,
      private: true,
      owner: { login: owner, type: 'Organization' },
      default_branch: 'main',
      html_url: `${options.baseUrl()}/${owner}/${repo}`,
      url: repoApi(),
      permissions: { admin: false, push: true, pull: true },
    });
  });

  const refJson = (ref: string, sha: string) => ({
    ref,
    node_id: Buffer.from(`Ref:${ref}`).toString('base64'),
    url: `${repoApi()}/git/${ref}`,
    object: { sha, type: 'commit', url: `${repoApi()}/git/commits/${sha}` },
  });

  router.get(
    `${base}/git/ref/*`,
    asyncHandler(async (req, res) => {
      const ref = `refs/${req.params[0]}`;
      const sha = await repository.resolveRef(ref);
      if (!sha) throw new GitHubError(404, 'Not Found');
      res.json(refJson(ref, sha));
    }),
  );

  router.get(
    `${base}/git/matching-refs/*`,
    asyncHandler(async (req, res) => {
      const prefix = `refs/${req.params[0]}`;
      const refs = (await repository.listRefs()).filter(r =>
        r.ref.startsWith(prefix),
      );
      res.json(refs.map(r => refJson(r.ref, r.sha)));
    }),
  );

  router.post(
    `${base}/git/refs`,
    asyncHandler(async (req, res) => {
      const { ref, sha } = req.body ?? {};
      if (
        typeof ref !== 'string' ||
        !/^refs\/(heads|tags)\/[^\s~^:?*[\\]+$/.test(ref) ||
        ref.includes('..')
      ) {
        throw new GitHubError(422, `${ref} is not a valid ref name.`);
      }
      if (
        typeof sha !== 'string' ||
        (await repository.objectType(sha)) !== 'commit'
      ) {
        throw new GitHubError(422, 'Object does not exist');
      }
      if (await repository.resolveRef(ref))
        throw new GitHubError(422, 'Reference already exists');
      await repository.writeRef(ref, sha);
      res
        .status(201)
        .setHeader('Location', `${repoApi()}/git/${ref}`)
        .json(refJson(ref, sha));
    }),
  );

  router.patch(
    `${base}/git/refs/*`,
    asyncHandler(async (req, res) => {
      const ref = `refs/${req.params[0]}`;
      const { sha, force } = req.body ?? {};
      const current = await repository.resolveRef(ref);
      if (!current) throw new GitHubError(422, 'Reference does not exist');
      if (
        typeof sha !== 'string' ||
        (await repository.objectType(sha)) !== 'commit'
      )
        throw new GitHubError(422, 'Object does not exist');
      if (!force && !(await repository.isAncestor(current, sha)))
        throw new GitHubError(422, 'Update is not a fast forward');
      await repository.writeRef(ref, sha);
      res.json(refJson(ref, sha));
    }),
  );

  router.delete(
    `${base}/git/refs/*`,
    asyncHandler(async (req, res) => {
      const ref = `refs/${req.params[0]}`;
      if (!(await repository.resolveRef(ref)))
        throw new GitHubError(422, 'Reference does not exist');
      await repository.deleteRef(ref);
      res.status(204).end();
    }),
  );

  router.post(
    `${base}/git/blobs`,
    asyncHandler(async (req, res) => {
      const { content, encoding = 'utf-8' } = req.body ?? {};
      if (
        typeof content !== 'string' ||
        !['utf-8', 'base64'].includes(encoding)
      ) {
        throw new GitHubError(422, 'Invalid request.', [
          { resource: 'Blob', field: 'content', code: 'missing_field' },
        ]);
      }
      const sha = await repository.writeBlob(
        Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'),
      );
      res.status(201).json({ sha, url: `${repoApi()}/git/blobs/${sha}` });
    }),
  );

  router.get(
    `${base}/git/blobs/:sha`,
    asyncHandler(async (req, res) => {
      const blob = await repository.readBlob(req.params.sha);
      if (!blob) throw new GitHubError(404, 'Not Found');
      res.json({
        sha: req.params.sha,
        size: blob.length,
        encoding: 'base64',
        content: blob.toString('base64'),
        url: `${repoApi()}/git/blobs/${req.params.sha}`,
      });
    }),
  );

  router.post(
    `${base}/git/trees`,
    asyncHandler(async (req, res) => {
      const { tree, base_tree: baseTree } = req.body ?? {};
      if (!Array.isArray(tree))
        throw new GitHubError(422, 'Invalid tree info', [
          { resource: 'Tree', field: 'tree', code: 'missing_field' },
        ]);
      for (const e of tree as TreeEntryInput[]) {
        if (
          typeof e?.path !== 'string' ||
          !['100644', '100755', '040000', '160000', '120000'].includes(
            e.mode,
          ) ||
          !['blob', 'tree', 'commit'].includes(e.type)
        ) {
          throw new GitHubError(422, 'Invalid tree info');
        }
        if ((e.content === undefined) === (e.sha === undefined))
          throw new GitHubError(
            422,
            'Must supply either tree.sha or tree.content',
          );
      }
      const sha = await repository.writeTree(tree, baseTree);
      res.status(201).json({
        sha,
        url: `${repoApi()}/git/trees/${sha}`,
        tree: await repository.readTree(sha),
        truncated: false,
      });
    }),
  );

  router.get(
    `${base}/git/trees/:sha`,
    asyncHandler(async (req, res) => {
      let sha = req.params.sha;
      const commit = await repository.readCommit(sha);
      if (commit) sha = commit.tree;
      else if ((await repository.objectType(sha)) !== 'tree') {
        const resolved = await repository.resolveRef(
          `refs/heads/${req.params.sha}`,
        );
        const branchCommit =
          resolved && (await repository.readCommit(resolved));
        if (!branchCommit) throw new GitHubError(404, 'Not Found');
        sha = branchCommit.tree;
      }
      const recursive =
        req.query.recursive !== undefined &&
        req.query.recursive !== '0' &&
        req.query.recursive !== 'false';
      res.json({
        sha,
        url: `${repoApi()}/git/trees/${sha}`,
        tree: await repository.readTree(sha, recursive),
        truncated: false,
      });
    }),
  );

  const commitJson = async (sha: string) => {
    const c = (await repository.readCommit(sha))!;
    const sig = (s: { name: string; email: string; timestamp: number }) => ({
      name: s.name,
      email: s.email,
      date: new Date(s.timestamp * 1000).toISOString().replace('.000', ''),
    });
    return {
      sha,
      node_id: Buffer.from(`Commit:${sha}`).toString('base64'),
      url: `${repoApi()}/git/commits/${sha}`,
      html_url: `${options.baseUrl()}/${owner}/${repo}/commit/${sha}`,
      message: c.message.replace(/\n$/, ''),
      tree: { sha: c.tree, url: `${repoApi()}/git/trees/${c.tree}` },
      parents: c.parent.map(p => ({
        sha: p,
        url: `${repoApi()}/git/commits/${p}`,
      })),
      author: sig(c.author),
      committer: sig(c.committer),
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
      },
    };
  };

  /** A branch: its tip commit with the commit's tree, as `GET /repos/{o}/{r}/branches/{b}`. */
  router.get(
    `${base}/branches/*`,
    asyncHandler(async (req, res) => {
      const name = req.params[0];
      const sha = await repository.resolveRef(`refs/heads/${name}`);
      if (!sha) throw new GitHubError(404, 'Branch not found');
      const c = await commitJson(sha);
      res.json({
        name,
        commit: {
          sha,
          node_id: c.node_id,
          url: `${repoApi()}/commits/${sha}`,
          html_url: c.html_url,
          commit: {
            author: c.author,
            committer: c.committer,
            message: c.message,
            tree: c.tree,
            url: c.url,
            comment_count: 0,
            verification: c.verification,
          },
          parents: c.parents,
        },
        _links: {
          self: `${repoApi()}/branches/${name}`,
          html: `${options.baseUrl()}/${owner}/${repo}/tree/${name}`,
        },
        protected: name === 'main',
        protection_url: `${repoApi()}/branches/${name}/protection`,
      });
    }),
  );

  router.post(
    `${base}/git/commits`,
    asyncHandler(async (req, res) => {
      const { message, tree, parents = [], author, committer } = req.body ?? {};
      if (
        typeof message !== 'string' ||
        typeof tree !== 'string' ||
        !Array.isArray(parents)
      ) {
        throw new GitHubError(422, 'Invalid request.', [
          {
            resource: 'Commit',
            field: typeof message !== 'string' ? 'message' : 'tree',
            code: 'missing_field',
          },
        ]);
      }
      const user: GitHubUser = res.locals.user;
      const sha = await repository.writeCommit({
        message,
        tree,
        parents,
        author: author ?? { name: user.name, email: user.email },
        committer: committer ??
          author ?? { name: user.name, email: user.email },
      });
      res.status(201).json(await commitJson(sha));
    }),
  );

  router.get(
    `${base}/git/commits/:sha`,
    asyncHandler(async (req, res) => {
      if (!(await repository.readCommit(req.params.sha)))
        throw new GitHubError(404, 'Not Found');
      res.json(await commitJson(req.params.sha));
    }),
  );

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
      const item = (p: string, e: { type: string; sha: string }, size = 0) => ({
        type: e.type === 'tree' ? 'dir' : 'file',
        name: p.split('/').pop(),
        path: p,
        sha: e.sha,
        size,
        url: `${repoApi()}/contents/${p}?ref=${refName}`,
        html_url: `${options.baseUrl()}/${owner}/${repo}/blob/${refName}/${p}`,
        git_url: `${repoApi()}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${
          e.sha
        }`,
        download_url:
          e.type === 'tree'
            ? null
            : `${options.baseUrl()}/raw/${owner}/${repo}/${refName}/${p}`,
      });
      if (entry.type === 'tree') {
        const children = await repository.readTree(entry.sha);
        res.json(children.map(c => item(`${path}/${c.path}`, c, c.size ?? 0)));
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

  addPullRequestRoutes(router, base, {
    owner,
    repo,
    repository,
    store: options.pulls,
    users,
    teams: options.teams,
    webBaseUrl: options.baseUrl,
    apiBaseUrl: api,
    userJson,
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
