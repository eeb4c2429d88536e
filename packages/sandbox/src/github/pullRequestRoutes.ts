import type { Router } from 'express';
import type { GitHubUser } from './GitHubUsers';
import { codeOwnersFor } from './BranchProtection';
import { GitHubError, asyncHandler, paginate } from './restSupport';
import type { PullRequestContext, PullRequestModel } from './PullRequestModel';
import type {
  PullRequestChanges,
  RepositoryEvents,
} from './webhooks/RepositoryEvents';
import { addReviewRoutes } from './reviewRoutes';
import { addLabelRoutes } from './labelRoutes';
import { addMergeRoutes } from './mergeRoutes';

export type { PullRequestContext } from './PullRequestModel';

/**
 * The pull request endpoints of the sandbox's GitHub (list, open, read, update, files, merge),
 * with the review, reviewer request and label endpoints beside them; each change is reported
 * to `events` (webhooks).
 */
export function addPullRequestRoutes(
  router: Router,
  base: string,
  ctx: PullRequestContext,
  model: PullRequestModel,
  events: RepositoryEvents,
) {
  const { owner, repository, store, shapes } = ctx;

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
      const sender = res.locals.user as GitHubUser;
      events.pullRequest('opened', pr, sender);
      events.reviewRequests('review_requested', pr, sender, {
        users: pr.requested_reviewers,
        teams: pr.requested_teams,
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
      res.json(await model.fullJson(model.findPull(req)));
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
      const sender = res.locals.user as GitHubUser;
      const changes: PullRequestChanges = {};
      if (title !== undefined && title !== pr.title)
        changes.title = { from: pr.title };
      if (body !== undefined && body !== pr.body)
        changes.body = { from: pr.body ?? '' };
      if (title !== undefined) pr.title = title;
      if (body !== undefined) pr.body = body;
      let transition: 'closed' | 'reopened' | undefined;
      if (state === 'closed' && pr.state === 'open') {
        pr.final_head_sha = await model.headSha(pr);
        pr.state = 'closed';
        pr.closed_at = new Date().toISOString();
        transition = 'closed';
      } else if (state === 'open' && pr.state === 'closed') {
        pr.state = 'open';
        pr.closed_at = null;
        pr.final_head_sha = null;
        transition = 'reopened';
      }
      pr.updated_at = new Date().toISOString();
      store.save();
      if (Object.keys(changes).length)
        events.pullRequest('edited', pr, sender, { changes });
      if (transition) events.pullRequest(transition, pr, sender);
      // Its head may have moved while it was closed.
      if (transition === 'reopened')
        await events.dismissStaleApprovals(pr, sender);
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

  addMergeRoutes(router, base, ctx, model, events);
  addReviewRoutes(router, base, ctx, model, events);
  addLabelRoutes(router, base, ctx, model);
}
