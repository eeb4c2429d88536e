import type { GitRepository } from '../GitRepository';
import type { GitHubUser } from '../GitHubUsers';
import type { StoredReview } from '../BranchProtection';
import type { StoredStatus } from '../CommitStatusStore';
import type { PullRequestStore, StoredPullRequest } from '../PullRequestStore';
import type { PullRequestModel } from '../PullRequestModel';
import type { GitHubShapes } from '../restShapes';
import { protectionOf } from '../BranchProtection';
import type { WebhookPayload } from './DeliveryLog';
import type { WebhookDeliverer } from './WebhookDeliverer';
import { createWebhookShapes } from './webhookShapes';
import { pushedCommit, pushedCommits } from './pushedCommits';

const NO_COMMIT = '0'.repeat(40);

/** What changed in a pull request's title or body (`pull_request.edited`'s `changes`). */
export interface PullRequestChanges {
  title?: { from: string };
  body?: { from: string };
}

/** A ref update, as `push` describes it: `before` null for a new ref, `after` null for a deleted one. */
export interface RefUpdate {
  ref: string;
  before: string | null;
  after: string | null;
  forced: boolean;
  pusher: GitHubUser;
}

/** What the events are read from, and who delivers them. */
export interface RepositoryEventsContext {
  deliverer: WebhookDeliverer;
  repository: GitRepository;
  pulls: PullRequestStore;
  users: GitHubUser[];
  shapes: GitHubShapes;
  model: PullRequestModel;
}

/**
 * The events of the sandbox repository that the portal's GitHub App receives as webhooks, each
 * with GitHub's payload (`repository`, `organization`, `installation` and the acting `sender`
 * in every one): pull requests opened, edited, closed (merged or not), reopened, synchronized,
 * their review requests, reviews submitted and dismissed, pushes, commit statuses. The routes
 * report what they did; payloads are built at once, delivered by the deliverer.
 */
export class RepositoryEvents {
  readonly #ctx: RepositoryEventsContext;
  readonly #webhook: ReturnType<typeof createWebhookShapes>;

  static create(ctx: RepositoryEventsContext): RepositoryEvents {
    return new RepositoryEvents(ctx);
  }

  private constructor(ctx: RepositoryEventsContext) {
    this.#ctx = ctx;
    this.#webhook = createWebhookShapes(ctx.shapes);
  }

  /** `pull_request` (not its review requests): opened, edited, closed, reopened, synchronize. */
  pullRequest(
    action: 'opened' | 'edited' | 'closed' | 'reopened' | 'synchronize',
    pr: StoredPullRequest,
    sender: GitHubUser,
    extra: {
      changes?: PullRequestChanges;
      before?: string;
      after?: string;
    } = {},
  ) {
    this.#emit('pull_request', action, sender, async pushedAt => ({
      action,
      number: pr.number,
      ...extra,
      pull_request: this.#webhook.pullRequest(
        await this.#ctx.model.fullJson(pr),
        pushedAt,
      ),
    }));
  }

  /** `pull_request.review_requested` (or `review_request_removed`), one per user and per team. */
  reviewRequests(
    action: 'review_requested' | 'review_request_removed',
    pr: StoredPullRequest,
    sender: GitHubUser,
    requested: { users: string[]; teams: string[] },
  ) {
    const { shapes, users } = this.#ctx;
    const reviewers = [
      ...requested.users.flatMap(login => {
        const reviewer = users.find(u => u.login === login);
        return reviewer
          ? [
              {
                requested_reviewer: this.#webhook.user(
                  shapes.simpleUser(reviewer),
                ),
              },
            ]
          : [];
      }),
      ...requested.teams.map(slug => ({
        requested_team: this.#webhook.team(shapes.team(slug)),
      })),
    ];
    for (const reviewer of reviewers) {
      this.#emit('pull_request', action, sender, async pushedAt => ({
        action,
        number: pr.number,
        pull_request: this.#webhook.pullRequest(
          await this.#ctx.model.fullJson(pr),
          pushedAt,
        ),
        ...reviewer,
      }));
    }
  }

  /** `pull_request_review`: submitted, or dismissed (a stale approval when the head moved). */
  review(
    action: 'submitted' | 'dismissed',
    pr: StoredPullRequest,
    review: StoredReview,
    sender: GitHubUser,
  ) {
    const snapshot = { ...review };
    const reviewer = this.#ctx.model.userByLogin(review.user)!;
    this.#emit('pull_request_review', action, sender, async pushedAt => ({
      action,
      review: this.#webhook.review(
        this.#ctx.shapes.review(pr.number, snapshot, reviewer),
      ),
      pull_request: this.#webhook.simplePullRequest(
        await this.#ctx.model.simpleJson(pr),
        pushedAt,
      ),
    }));
  }

  /**
   * A ref was created, moved or deleted: `push`; for a branch that is the head of open pull
   * requests, `pull_request.synchronize` for each, and the dismissal of approvals the new head
   * makes stale (awaited: the dismissal is part of the update).
   */
  async refUpdated(update: RefUpdate) {
    const { ref, pusher } = update;
    const before = update.before ?? NO_COMMIT;
    const after = update.after ?? NO_COMMIT;
    this.#emit('push', null, pusher, pushedAt => this.#push(update, pushedAt));
    const branch = ref.replace(/^refs\/heads\//, '');
    if (!update.after || branch === ref) return;
    const heads = this.#ctx.pulls
      .all()
      .filter(pr => pr.state === 'open' && pr.head === branch);
    for (const pr of heads) {
      this.pullRequest('synchronize', pr, pusher, { before, after });
      await this.dismissStaleApprovals(pr, pusher);
    }
  }

  /** Dismisses the approvals of an older head, with `pull_request_review.dismissed` for each. */
  async dismissStaleApprovals(pr: StoredPullRequest, sender: GitHubUser) {
    for (const dismissed of await this.#ctx.model.dismissStaleApprovals(pr))
      this.review('dismissed', pr, dismissed, sender);
  }

  /** `status`: a commit status was created. */
  statusCreated(status: StoredStatus, sender: GitHubUser) {
    const { repository, shapes, users } = this.#ctx;
    const byEmail = (email: string) => users.find(u => u.email === email);
    this.#emit('status', null, sender, async () => {
      const commit = (await repository.readCommit(status.sha))!;
      const branches = [];
      for (const { ref, sha } of await repository.listRefs()) {
        if (!ref.startsWith('refs/heads/') || branches.length === 10) continue;
        if (!(await repository.isAncestor(status.sha, sha))) continue;
        const name = ref.slice('refs/heads/'.length);
        branches.push({
          name,
          commit: { sha, url: `${shapes.repoApi()}/commits/${sha}` },
          protected: protectionOf(name) !== undefined,
        });
      }
      const creator = users.find(u => u.login === status.creator)!;
      return {
        id: status.id,
        sha: status.sha,
        name: `${shapes.organization().login}/${
          shapes.minimalRepository().name
        }`,
        avatar_url: shapes.simpleUser(creator).avatar_url,
        target_url: status.target_url,
        context: status.context,
        description: status.description,
        state: status.state,
        commit: this.#webhook.statusCommit(status.sha, commit, {
          author: byEmail(commit.author.email),
          committer: byEmail(commit.committer.email),
        }),
        branches,
        created_at: status.created_at,
        updated_at: status.updated_at,
      };
    });
  }

  async #push(update: RefUpdate, pushedAt: string) {
    const { repository, shapes, users } = this.#ctx;
    const before = update.before ?? NO_COMMIT;
    const after = update.after ?? NO_COMMIT;
    const short = (sha: string) => sha.slice(0, 12);
    const main = await repository.resolveRef('refs/heads/main');
    // A new branch is compared with the default branch; a deleted one has no commits.
    const commits = update.after
      ? await pushedCommits(
          repository,
          update.after,
          update.before ??
            (update.ref === 'refs/heads/main' ? undefined : main),
        )
      : [];
    const usernameOf = (email: string) =>
      users.find(u => u.email === email)?.login;
    const pushCommits = commits.map(c =>
      this.#webhook.pushCommit(c, usernameOf),
    );
    const head = update.after
      ? await pushedCommit(repository, update.after)
      : undefined;
    return {
      ref: update.ref,
      before,
      after,
      created: update.before === null,
      deleted: update.after === null,
      forced: update.forced,
      base_ref: null,
      compare:
        update.before === null
          ? `${shapes.repoWeb()}/compare/${update.ref.replace(
              /^refs\/(heads|tags)\//,
              '',
            )}`
          : `${shapes.repoWeb()}/compare/${short(before)}...${short(after)}`,
      commits: pushCommits,
      head_commit: head ? this.#webhook.pushCommit(head, usernameOf) : null,
      pusher: { name: update.pusher.login, email: update.pusher.email },
      repository: this.#webhook.repository(pushedAt, 'push'),
    };
  }

  /** Emits an event, its payload with the envelope every delivery of the app has. */
  #emit(
    event: string,
    action: string | null,
    sender: GitHubUser,
    build: (pushedAt: string) => Promise<Record<string, unknown>>,
  ) {
    const { deliverer, shapes, model } = this.#ctx;
    deliverer.emit(event, action, async (): Promise<WebhookPayload> => {
      const pushedAt = await model.pushedAt();
      const payload = await build(pushedAt);
      return {
        ...payload,
        repository: payload.repository ?? this.#webhook.repository(pushedAt),
        organization: this.#webhook.organization(),
        sender: this.#webhook.user(shapes.simpleUser(sender)),
        installation: this.#webhook.installation(),
      };
    });
  }
}
