import type { Request, Router } from 'express';
import type { GitHubUser } from './GitHubUsers';
import type { StoredReview } from './BranchProtection';
import { GitHubError, asyncHandler, paginate } from './restSupport';
import type { PullRequestContext, PullRequestModel } from './PullRequestModel';
import type { RepositoryEvents } from './webhooks/RepositoryEvents';

/** Reviews of pull requests and requests for review, of the sandbox's GitHub. */
export function addReviewRoutes(
  router: Router,
  base: string,
  ctx: PullRequestContext,
  model: PullRequestModel,
  events: RepositoryEvents,
) {
  const { store, shapes } = ctx;
  const { userByLogin } = model;
  const reviewJson = (pullNumber: number, r: StoredReview) =>
    shapes.review(pullNumber, r, userByLogin(r.user)!);

  router.get(
    `${base}/pulls/:number/reviews`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      res.json(
        paginate(
          req,
          res,
          pr.reviews.map(r => reviewJson(pr.number, r)),
          `${shapes.repoApi()}/pulls/${pr.number}/reviews`,
        ),
      );
    }),
  );

  router.post(
    `${base}/pulls/:number/reviews`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      const { event, body = '', commit_id: commitId } = req.body ?? {};
      const reviewer = (res.locals.user as GitHubUser).login;
      const states: Record<string, StoredReview['state']> = {
        APPROVE: 'APPROVED',
        REQUEST_CHANGES: 'CHANGES_REQUESTED',
        COMMENT: 'COMMENTED',
      };
      if (event !== undefined && !states[event])
        throw new GitHubError(422, 'Unprocessable Entity', [
          `Event ${event} is not one of APPROVE, REQUEST_CHANGES, COMMENT`,
        ]);
      if (pr.state !== 'open')
        throw new GitHubError(422, 'Unprocessable Entity', [
          'Can not review a closed pull request',
        ]);
      if (reviewer === pr.user && event === 'APPROVE')
        throw new GitHubError(422, 'Unprocessable Entity', [
          'Can not approve your own pull request',
        ]);
      if (reviewer === pr.user && event === 'REQUEST_CHANGES')
        throw new GitHubError(422, 'Unprocessable Entity', [
          'Can not request changes on your own pull request',
        ]);
      if (
        (event === 'REQUEST_CHANGES' || event === 'COMMENT') &&
        !String(body).trim()
      ) {
        throw new GitHubError(422, 'Unprocessable Entity', [
          `Review Comment is missing a body for ${event}`,
        ]);
      }
      const review: StoredReview = {
        id: store.nextReviewId(),
        user: reviewer,
        state: event ? states[event] : 'PENDING',
        body: String(body),
        commit_id:
          typeof commitId === 'string' ? commitId : await model.headSha(pr),
        submitted_at: new Date().toISOString(),
      };
      pr.reviews.push(review);
      pr.requested_reviewers = pr.requested_reviewers.filter(
        l => l !== reviewer,
      );
      pr.updated_at = review.submitted_at;
      store.save();
      if (review.state !== 'PENDING')
        events.review('submitted', pr, review, res.locals.user);
      res.json(reviewJson(pr.number, review));
    }),
  );

  router.get(
    `${base}/pulls/:number/requested_reviewers`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      res.json({
        users: pr.requested_reviewers.map(l =>
          shapes.simpleUser(userByLogin(l)!),
        ),
        teams: pr.requested_teams.map(shapes.team),
      });
    }),
  );

  const reviewerInput = (req: Request) => {
    const reviewers: unknown = req.body?.reviewers ?? [];
    const teams: unknown = req.body?.team_reviewers ?? [];
    if (!Array.isArray(reviewers) || !Array.isArray(teams))
      throw new GitHubError(422, 'Validation Failed', [
        { resource: 'PullRequest', field: 'reviewers', code: 'invalid' },
      ]);
    return { reviewers: reviewers.map(String), teams: teams.map(String) };
  };

  router.post(
    `${base}/pulls/:number/requested_reviewers`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      const { reviewers, teams } = reviewerInput(req);
      for (const login of reviewers) {
        if (login === pr.user)
          throw new GitHubError(
            422,
            'Review cannot be requested from pull request author.',
          );
        if (!userByLogin(login))
          throw new GitHubError(
            422,
            'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.',
          );
      }
      for (const slug of teams)
        if (!ctx.teams[slug])
          throw new GitHubError(
            422,
            'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.',
          );
      const added = {
        users: [...new Set(reviewers)].filter(
          l => !pr.requested_reviewers.includes(l),
        ),
        teams: [...new Set(teams)].filter(t => !pr.requested_teams.includes(t)),
      };
      pr.requested_reviewers.push(...added.users);
      pr.requested_teams.push(...added.teams);
      store.save();
      events.reviewRequests('review_requested', pr, res.locals.user, added);
      res.status(201).json(await model.simpleJson(pr));
    }),
  );

  router.delete(
    `${base}/pulls/:number/requested_reviewers`,
    asyncHandler(async (req, res) => {
      const pr = model.findPull(req);
      const { reviewers, teams } = reviewerInput(req);
      const removed = {
        users: pr.requested_reviewers.filter(l => reviewers.includes(l)),
        teams: pr.requested_teams.filter(t => teams.includes(t)),
      };
      pr.requested_reviewers = pr.requested_reviewers.filter(
        l => !reviewers.includes(l),
      );
      pr.requested_teams = pr.requested_teams.filter(t => !teams.includes(t));
      store.save();
      events.reviewRequests(
        'review_request_removed',
        pr,
        res.locals.user,
        removed,
      );
      res.json(await model.simpleJson(pr));
    }),
  );
}
