import type { Router } from 'express';
import type { GitRepository } from './GitRepository';
import type { GitHubUser } from './GitHubUsers';
import { protectionOf } from './BranchProtection';
import { GitHubError, asyncHandler } from './restSupport';
import type { GitHubShapes } from './restShapes';
import { createProtectionShapes } from './protectionShapes';

/**
 * Branches of the sandbox's GitHub and their protection: `GET /branches/{branch}` (the tip
 * commit with its tree, and a summary of its protection), `GET .../protection` and
 * `GET .../protection/required_status_checks` (404 `Branch not protected` for a branch without
 * a rule). Protection reads are open to every collaborator (GitHub wants admin rights).
 */
export function addBranchRoutes(
  router: Router,
  base: string,
  ctx: { repository: GitRepository; users: GitHubUser[]; shapes: GitHubShapes },
) {
  const { repository, users, shapes } = ctx;
  const protection = createProtectionShapes(shapes.repoApi);

  /** The rule of an existing branch: 404 for a branch that does not exist or has none. */
  const protectedBranch = async (branch: string) => {
    if (!(await repository.resolveRef(`refs/heads/${branch}`)))
      throw new GitHubError(404, 'Branch not found');
    const rule = protectionOf(branch);
    if (!rule) throw new GitHubError(404, 'Branch not protected');
    return rule;
  };

  // Before `branches/*`, which would take `main/protection` for a branch name.
  router.get(
    `${base}/branches/*/protection/required_status_checks`,
    asyncHandler(async (req, res) => {
      const branch = req.params[0];
      res.json(
        protection.statusCheckPolicy(branch, await protectedBranch(branch)),
      );
    }),
  );

  router.get(
    `${base}/branches/*/protection`,
    asyncHandler(async (req, res) => {
      const branch = req.params[0];
      res.json(
        protection.branchProtection(branch, await protectedBranch(branch)),
      );
    }),
  );

  router.get(
    `${base}/branches/*`,
    asyncHandler(async (req, res) => {
      const name = req.params[0];
      const sha = await repository.resolveRef(`refs/heads/${name}`);
      if (!sha) throw new GitHubError(404, 'Branch not found');
      const c = (await repository.readCommit(sha))!;
      const byEmail = (email: string) => users.find(u => u.email === email);
      const rule = protectionOf(name);
      res.json({
        name,
        commit: shapes.commit(sha, c, {
          author: byEmail(c.author.email),
          committer: byEmail(c.committer.email),
        }),
        _links: {
          self: `${shapes.repoApi()}/branches/${name}`,
          html: `${shapes.repoWeb()}/tree/${name}`,
        },
        protected: rule !== undefined,
        protection: protection.branchSummary(name, rule),
        protection_url: protection.protectionUrl(name),
      });
    }),
  );
}
