import type { Router } from 'express';
import { GitHubError, asyncHandler, paginate } from './restSupport';
import type { PullRequestContext, PullRequestModel } from './PullRequestModel';

/** Labels of pull requests (GitHub's issue endpoints) and commit statuses and check runs. */
export function addIssueAndStatusRoutes(
  router: Router,
  base: string,
  ctx: PullRequestContext,
  model: PullRequestModel,
) {
  const { repository, store, shapes } = ctx;
  const labelJson = (name: string) => shapes.label(store.label(name));

  router.get(
    `${base}/issues/:number/labels`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      res.json(
        paginate(
          req,
          res,
          pr.labels.map(labelJson),
          `${shapes.repoApi()}/issues/${pr.number}/labels`,
        ),
      );
    }),
  );

  router.post(
    `${base}/issues/:number/labels`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      const labels: unknown = Array.isArray(req.body)
        ? req.body
        : req.body?.labels;
      if (
        !Array.isArray(labels) ||
        labels.some(l => typeof l !== 'string' || !l.trim())
      ) {
        throw new GitHubError(422, 'Invalid request.', [
          { resource: 'Label', field: 'labels', code: 'invalid' },
        ]);
      }
      for (const name of labels as string[])
        if (!pr.labels.includes(name)) pr.labels.push(store.label(name).name);
      store.save();
      res.json(pr.labels.map(labelJson));
    }),
  );

  const resolveCommit = async (ref: string) => {
    const sha = /^[0-9a-f]{40}$/.test(ref)
      ? ref
      : await repository.resolveRef(`refs/heads/${ref}`);
    if (!sha || !(await repository.readCommit(sha)))
      throw new GitHubError(422, `No commit found for SHA: ${ref}`);
    return sha;
  };

  // The sandbox runs no CI: every commit has no statuses and no check runs.
  router.get(
    `${base}/commits/:ref/status`,
    asyncHandler(async (req, res) => {
      const sha = await resolveCommit(req.params.ref);
      res.json({
        state: 'pending',
        statuses: [],
        sha,
        total_count: 0,
        repository: shapes.minimalRepository(),
        commit_url: `${shapes.repoApi()}/commits/${sha}`,
        url: `${shapes.repoApi()}/commits/${sha}/status`,
      });
    }),
  );

  router.get(
    `${base}/commits/:ref/check-runs`,
    asyncHandler(async (req, res) => {
      await resolveCommit(req.params.ref);
      res.json({ total_count: 0, check_runs: [] });
    }),
  );
}
