import type { Router } from 'express';
import type { GitHubUser } from './GitHubUsers';
import { codeOwnersFor } from './BranchProtection';
import { GitHubError, asyncHandler, paginate } from './restSupport';
import { PullRequestContext, createPullRequestModel } from './PullRequestModel';
import { addReviewRoutes } from './reviewRoutes';
import { addIssueAndStatusRoutes } from './issueAndStatusRoutes';

export type { PullRequestContext } from './PullRequestModel';

/**
 * The pull request endpoints of the sandbox's GitHub (list, open, read, update, files, merge),
 * with the review, reviewer request, label and status endpoints beside them.
 */
export function addPullRequestRoutes(
  router: Router,
  base: string,
  ctx: PullRequestContext,
) {
  const { owner, repository, store, shapes } = ctx;
  const model = createPullRequestModel(ctx);

  router.get(
    `${base}/pulls`,
    asyncHandler(async (req, res) => {
      const state = (req.query.state as string) ?? 'open';
      if (!['open', 'closed', 'all'].includes(state))
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'state', code: 'invalid' },
        ]);
      const headFilter =
        typeof req.query.head === 'string'
          ? req.query.head.split(':').pop()
          : undefined;
      const pulls = store
        .all()
        .filter(p => state === 'all' || p.state === state)
        .filter(p => !headFilter || p.head === headFilter)
        .filter(p => !req.query.base || p.base === req.query.base)
        .sort((a, b) => b.number - a.number);
      const page = paginate(req, res, pulls, `${shapes.repoApi()}/pulls`);
      res.json(await Promise.all(page.map(p => model.simpleJson(p))));
    }),
  );

  router.post(
    `${base}/pulls`,
    asyncHandler(async (req, res) => {
      const {
        title,
        head: rawHead,
        base: baseRef = 'main',
        body = null,
        draft = false,
      } = req.body ?? {};
      if (typeof title !== 'string' || !title.trim())
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'title', code: 'missing_field' },
        ]);
      if (typeof rawHead !== 'string')
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'head', code: 'missing_field' },
        ]);
      const head = rawHead.includes(':') ? rawHead.split(':')[1] : rawHead;
      const headCommit = await repository.resolveRef(`refs/heads/${head}`);
      const baseCommit = await repository.resolveRef(`refs/heads/${baseRef}`);
      if (!headCommit)
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'head', code: 'invalid' },
        ]);
      if (!baseCommit)
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'base', code: 'invalid' },
        ]);
      if (
        store
          .all()
          .some(
            p => p.state === 'open' && p.head === head && p.base === baseRef,
          )
      ) {
        throw new GitHubError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${owner}:${head}.`,
          },
        ]);
      }
      const changed = await model.changes(baseCommit, headCommit);
      if (changed.length === 0) {
        throw new GitHubError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${baseRef} and ${head}`,
          },
        ]);
      }
      const author = (res.locals.user as GitHubUser).login;
      // As GitHub does: code owners of the changed files are asked for review when the PR opens.
      const codeowners = (await model.readFile(baseCommit, 'CODEOWNERS')) ?? '';
      const handles = new Set(
        changed.flatMap(c => codeOwnersFor(codeowners, c.filename)),
      );
      const now = new Date().toISOString();
      const pr = store.add({
        title,
        body,
        user: author,
        head,
        base: baseRef,
        state: 'open',
        draft: Boolean(draft),
        merged: false,
        merged_by: null,
        merged_at: null,
        merge_commit_sha: null,
        closed_at: null,
        created_at: now,
        updated_at: now,
        final_head_sha: null,
        labels: [],
        requested_reviewers: [...handles]
          .filter(h => !h.includes('/'))
          .map(h => h.slice(1))
          .filter(l => l !== author),
        requested_teams: [...handles]
          .filter(h => h.includes('/'))
          .map(model.teamOf),
        reviews: [],
      });
      res
        .status(201)
        .setHeader('Location', `${shapes.repoApi()}/pulls/${pr.number}`)
        .json(await model.fullJson(pr));
    }),
  );

  router.get(
    `${base}/pulls/:number`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      await model.dismissStaleApprovals(pr);
      res.json(await model.fullJson(pr));
    }),
  );

  router.patch(
    `${base}/pulls/:number`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      const { title, body, state } = req.body ?? {};
      if (state !== undefined && !['open', 'closed'].includes(state))
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'state', code: 'invalid' },
        ]);
      if (title !== undefined && (typeof title !== 'string' || !title.trim()))
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'title', code: 'invalid' },
        ]);
      if (pr.merged && state === 'open')
        throw new GitHubError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message:
              'state cannot be changed. The pull request has been merged.',
          },
        ]);
      if (title !== undefined) pr.title = title;
      if (body !== undefined) pr.body = body;
      if (state === 'closed' && pr.state === 'open') {
        pr.final_head_sha = await model.headSha(pr);
        pr.state = 'closed';
        pr.closed_at = new Date().toISOString();
      } else if (state === 'open' && pr.state === 'closed') {
        pr.state = 'open';
        pr.closed_at = null;
        pr.final_head_sha = null;
      }
      pr.updated_at = new Date().toISOString();
      store.save();
      res.json(await model.fullJson(pr));
    }),
  );

  router.get(
    `${base}/pulls/:number/files`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      const head = await model.headSha(pr);
      const diffs = await model.fileDiffs(await model.comparedBase(pr), head);
      const entries = diffs.map(d =>
        shapes.diffEntry({
          filename: d.filename,
          status: d.status,
          sha: (d.sha ?? d.before)!,
          additions: d.additions,
          deletions: d.deletions,
          patch: d.patch,
          ref: d.status === 'removed' ? pr.base : head,
        }),
      );
      res.json(
        paginate(
          req,
          res,
          entries,
          `${shapes.repoApi()}/pulls/${pr.number}/files`,
        ),
      );
    }),
  );

  router.get(
    `${base}/pulls/:number/merge`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      if (!pr.merged) throw new GitHubError(404, 'Not Found');
      res.status(204).end();
    }),
  );

  router.put(
    `${base}/pulls/:number/merge`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      if (pr.state !== 'open')
        throw new GitHubError(405, 'Pull Request is not mergeable');
      const {
        sha,
        merge_method: method = 'merge',
        commit_title: commitTitle,
        commit_message: commitMessage,
      } = req.body ?? {};
      if (!['merge', 'squash', 'rebase'].includes(method))
        throw new GitHubError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'merge_method', code: 'invalid' },
        ]);
      const head = await model.headSha(pr);
      if (sha !== undefined && sha !== head)
        throw new GitHubError(
          409,
          'Head branch was modified. Review and try the merge again.',
        );
      await model.dismissStaleApprovals(pr);
      const verdict = await model.protection(pr);
      if (!verdict.satisfied)
        throw new GitHubError(
          405,
          verdict.reason ?? 'Pull Request is not mergeable',
        );
      const tree = await model.mergedTree(pr);
      if (!tree) throw new GitHubError(405, 'Pull Request is not mergeable');
      const baseCommit = await model.baseSha(pr);
      const merger = res.locals.user as GitHubUser;
      const merge = await repository.writeCommit({
        message: `${
          commitTitle ??
          (method === 'merge'
            ? `Merge pull request #${pr.number} from ${owner}/${pr.head}`
            : `${pr.title} (#${pr.number})`)
        }\n\n${commitMessage ?? pr.title}`,
        tree,
        parents: method === 'merge' ? [baseCommit, head] : [baseCommit],
        author: { name: merger.name, email: merger.email },
      });
      await repository.writeRef(`refs/heads/${pr.base}`, merge);
      const now = new Date().toISOString();
      Object.assign(pr, {
        state: 'closed',
        merged: true,
        merged_by: merger.login,
        merged_at: now,
        closed_at: now,
        updated_at: now,
        merge_commit_sha: merge,
        final_head_sha: head,
      });
      store.save();
      res.json({
        sha: merge,
        merged: true,
        message: 'Pull Request successfully merged',
      });
    }),
  );

  addReviewRoutes(router, base, ctx, model);
  addIssueAndStatusRoutes(router, base, ctx, model);
}
