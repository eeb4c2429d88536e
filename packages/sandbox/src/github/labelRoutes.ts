import type { Router } from 'express';
import { GitHubError, asyncHandler, paginate } from './restSupport';
import type { PullRequestContext, PullRequestModel } from './PullRequestModel';

/** Labels of pull requests, through GitHub's issue endpoints. */
export function addLabelRoutes(
  router: Router,
  base: string,
  ctx: PullRequestContext,
  model: PullRequestModel,
) {
  const { store, shapes } = ctx;
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
}
