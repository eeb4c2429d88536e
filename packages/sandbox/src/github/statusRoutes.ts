import type { Router } from 'express';
import type { GitRepository } from './GitRepository';
import type { GitHubUser } from './GitHubUsers';
import {
  COMMIT_STATUS_STATES,
  CommitStatusState,
  CommitStatusStore,
  StoredStatus,
  combinedState,
  latestByContext,
} from './CommitStatusStore';
import { GitHubError, asyncHandler, paginate } from './restSupport';
import { GitHubShapes, isoSeconds, nodeId } from './restShapes';
import type { RepositoryEvents } from './webhooks/RepositoryEvents';

const SHA = /^[0-9a-f]{40}$/;

/**
 * Commit statuses, as GitHub keeps them: created by whoever's token posts them
 * (`POST /statuses/{sha}`), listed newest first (`GET /commits/{ref}/statuses`), combined by
 * context (`GET /commits/{ref}/status`). Check runs are always empty: the sandbox runs no CI.
 */
export function addStatusRoutes(
  router: Router,
  base: string,
  ctx: {
    repository: GitRepository;
    statuses: CommitStatusStore;
    users: GitHubUser[];
    shapes: GitHubShapes;
    events: RepositoryEvents;
  },
) {
  const { repository, statuses, shapes } = ctx;
  const creatorOf = (s: StoredStatus) =>
    shapes.simpleUser(ctx.users.find(u => u.login === s.creator)!);

  /** simple-commit-status, as the combined status lists each context's latest. */
  const simpleStatus = (s: StoredStatus) => ({
    url: `${shapes.repoApi()}/statuses/${s.sha}`,
    avatar_url: creatorOf(s).avatar_url,
    id: s.id,
    node_id: nodeId('StatusContext', s.id),
    state: s.state,
    description: s.description,
    target_url: s.target_url,
    context: s.context,
    created_at: s.created_at,
    updated_at: s.updated_at,
  });

  /** status, with its creator. */
  const statusJson = (s: StoredStatus) => ({
    ...simpleStatus(s),
    creator: creatorOf(s),
  });

  /** A commit by sha, branch or tag name. */
  const resolveCommit = async (ref: string, status: 404 | 422) => {
    const sha = SHA.test(ref)
      ? ref
      : (await repository.resolveRef(`refs/heads/${ref}`)) ??
        (await repository.resolveRef(`refs/tags/${ref}`));
    if (!sha || !(await repository.readCommit(sha)))
      throw new GitHubError(status, `No commit found for SHA: ${ref}`);
    return sha;
  };

  router.post(
    `${base}/statuses/:sha`,
    asyncHandler(async (req, res) => {
      const {
        state,
        target_url: targetUrl = null,
        description = null,
        context = 'default',
      } = req.body ?? {};
      if (state === undefined)
        throw new GitHubError(
          422,
          'Invalid request.\n\n"state" wasn\'t supplied.',
        );
      if (!COMMIT_STATUS_STATES.includes(state))
        throw new GitHubError(422, 'Validation Failed', [
          {
            resource: 'Status',
            code: 'custom',
            field: 'state',
            message: 'state is not included in the list',
          },
        ]);
      for (const [field, value] of Object.entries({
        target_url: targetUrl,
        description,
        context,
      })) {
        if (value !== null && typeof value !== 'string')
          throw new GitHubError(
            422,
            `Invalid request.\n\nFor 'properties/${field}', ${JSON.stringify(
              value,
            )} is not a string.`,
          );
      }
      const sha = await resolveCommit(req.params.sha, 422);
      const user: GitHubUser = res.locals.user;
      const now = isoSeconds(new Date());
      const status = statuses.add({
        sha,
        state: state as CommitStatusState,
        context: context ?? 'default',
        description,
        target_url: targetUrl,
        creator: user.login,
        created_at: now,
        updated_at: now,
      });
      ctx.events.statusCreated(status, user);
      res
        .status(201)
        .setHeader('Location', `${shapes.repoApi()}/statuses/${sha}`)
        .json(statusJson(status));
    }),
  );

  router.get(
    `${base}/commits/*/statuses`,
    asyncHandler(async (req, res) => {
      const sha = await resolveCommit(req.params[0], 404);
      res.json(
        paginate(
          req,
          res,
          statuses.forCommit(sha).map(statusJson),
          `${shapes.repoApi()}/commits/${encodeURIComponent(
            req.params[0],
          )}/statuses`,
        ),
      );
    }),
  );

  router.get(
    `${base}/commits/*/status`,
    asyncHandler(async (req, res) => {
      const sha = await resolveCommit(req.params[0], 404);
      const latest = latestByContext(statuses.forCommit(sha));
      res.json({
        state: combinedState(latest),
        statuses: latest.map(simpleStatus),
        sha,
        total_count: latest.length,
        repository: shapes.minimalRepository(),
        commit_url: `${shapes.repoApi()}/commits/${sha}`,
        url: `${shapes.repoApi()}/commits/${sha}/status`,
      });
    }),
  );

  router.get(
    `${base}/commits/*/check-runs`,
    asyncHandler(async (req, res) => {
      await resolveCommit(req.params[0], 422);
      res.json({ total_count: 0, check_runs: [] });
    }),
  );
}
