import type { Router } from 'express';
import type { GitHubUser } from './GitHubUsers';
import { GitHubError, asyncHandler } from './restSupport';
import type { PullRequestContext, PullRequestModel } from './PullRequestModel';
import type { RepositoryEvents } from './webhooks/RepositoryEvents';

/**
 * Merging a pull request (`PUT /pulls/{n}/merge`, with `merge` or `squash`) once its base's
 * protection is satisfied, otherwise 405 with GitHub's reason; and whether it was merged
 * (`GET /pulls/{n}/merge`). A merge is a push to the base and closes the pull request.
 */
export function addMergeRoutes(
  router: Router,
  base: string,
  ctx: PullRequestContext,
  model: PullRequestModel,
  events: RepositoryEvents,
) {
  const { owner, repository, store } = ctx;

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
      const merger = res.locals.user as GitHubUser;
      await events.dismissStaleApprovals(pr, merger);
      const verdict = await model.protection(pr);
      if (!verdict.satisfied)
        throw new GitHubError(
          405,
          verdict.reason ?? 'Pull Request is not mergeable',
        );
      const tree = await model.mergedTree(pr);
      if (!tree) throw new GitHubError(405, 'Pull Request is not mergeable');
      const baseCommit = await model.baseSha(pr);
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
      await events.refUpdated({
        ref: `refs/heads/${pr.base}`,
        before: baseCommit,
        after: merge,
        forced: false,
        pusher: merger,
      });
      events.pullRequest('closed', pr, merger);
      res.json({
        sha: merge,
        merged: true,
        message: 'Pull Request successfully merged',
      });
    }),
  );
}
