import {
  APPROVAL_STATUS_CONTEXT,
  PullRequestReview,
  parseModelValuesPath,
} from '@internal/plugin-omnivision-common';
import { ConditionalRequestCache } from './ConditionalRequestCache';
import { GitHubClient, createGitHubClient } from './GitHubClient';
import { GitHubRateLimit, GitHubRateLimits } from './GitHubRateLimits';
import type {
  ApprovalStatus,
  GitHubUserToken,
  GitOpsPullRequest,
  GitOpsPullRequestDetail,
  OpenedPullRequest,
} from './GitOpsPullRequest';
import { GitOpsRepository, PORTAL_MARKER } from './GitOpsRepository';
import { gitHubRefusal } from './gitHubRefusal';
import {
  PullRequestContent,
  openOrUpdatePullRequest,
} from './openOrUpdatePullRequest';

/** A pull request as GitHub's REST API and webhooks give it, in the fields the portal reads. @public */
export interface RestPullRequest {
  number: number;
  title: string;
  state: string;
  body?: string | null;
  merged?: boolean | null;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  updated_at: string;
  head: { sha: string; ref: string };
  mergeable?: boolean | null;
  mergeable_state?: string;
  requested_reviewers?: Array<{ login: string } | null> | null;
  requested_teams?: Array<{ slug: string } | null> | null;
}

/** A review as GitHub's REST API and webhooks give it. @public */
export interface RestReview {
  id: number;
  user: { login: string } | null;
  state: string;
  submitted_at?: string | null;
  commit_id: string | null;
  body?: string | null;
}

/** The portal's reading of a pull request of GitHub's REST API or of a webhook. @public */
export function pullRequestFromRest(pull: RestPullRequest): GitOpsPullRequest {
  const merged = pull.merged ?? !!pull.merged_at;
  return {
    number: pull.number,
    title: pull.title,
    state: pull.state === 'open' ? 'open' : 'closed',
    merged,
    mergedAt: pull.merged_at ?? undefined,
    mergeSha: merged ? pull.merge_commit_sha ?? undefined : undefined,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    updatedAt: pull.updated_at,
    openedByPortal: (pull.body ?? '').includes(PORTAL_MARKER),
    requestedReviewers: [
      ...(pull.requested_reviewers ?? []).flatMap(u => (u ? [u.login] : [])),
      ...(pull.requested_teams ?? []).flatMap(t => (t ? [`@${t.slug}`] : [])),
    ],
    mergeable: pull.mergeable ?? null,
    mergeableState: pull.mergeable_state,
  };
}

/** The portal's reading of a review of GitHub's REST API or of a webhook. @public */
export function reviewFromRest(review: RestReview): PullRequestReview {
  const state = review.state.toUpperCase();
  return {
    id: review.id,
    user: review.user?.login ?? 'ghost',
    state: (state === 'PENDING'
      ? 'COMMENTED'
      : state) as PullRequestReview['state'],
    submittedAt: review.submitted_at ?? '',
    commitId: review.commit_id ?? '',
    body: review.body || undefined,
  };
}

/**
 * The pull requests of the GitOps repository: the one place the portal writes to GitHub and
 * reads it. Opens or updates a deployment's pull request as the portal (at most six REST calls),
 * posts the approval gate's commit status as the portal, reads pull requests, their reviews,
 * files and statuses and the base branch's files as the portal (conditional requests: an
 * unchanged answer costs no rate limit), and checks, reviews and merges as a person with their
 * own GitHub token, so that GitHub's branch protection stays the gate. Each call takes a fresh
 * token from the repository's locator.
 *
 * @public
 */
export class GitOpsPullRequests {
  readonly #repository: () => Promise<GitOpsRepository>;
  readonly #portalReads = new ConditionalRequestCache();
  /** The portal's own rate limits (never those of the people whose tokens it uses). */
  readonly #portalRateLimits = new GitHubRateLimits();
  /** Blob contents by sha: content-addressed, so never stale. */
  readonly #blobs = new Map<string, string>();

  static create(options: {
    repository: () => Promise<GitOpsRepository>;
  }): GitOpsPullRequests {
    return new GitOpsPullRequests(options.repository);
  }

  private constructor(repository: () => Promise<GitOpsRepository>) {
    this.#repository = repository;
  }

  /**
   * The repository, a client of it (as the portal itself, with conditional reads, or as a person
   * with their token), and the owner/repo pair of every call.
   */
  async #portal(as?: GitHubUserToken): Promise<{
    repository: GitOpsRepository;
    github: GitHubClient;
    repo: { owner: string; repo: string };
  }> {
    const repository = await this.#repository();
    const github = as
      ? createGitHubClient({ ...repository, token: as.githubToken })
      : this.#portalReads.install(
          this.#portalRateLimits.install(createGitHubClient(repository)),
        );
    return {
      repository,
      github,
      repo: { owner: repository.owner, repo: repository.repo },
    };
  }

  /** How many of the portal's reads GitHub answered with 304 Not Modified. */
  get notModifiedReads(): number {
    return this.#portalReads.notModified;
  }

  /**
   * The portal's own GitHub rate limits, per resource, as GitHub's last answer to the portal
   * said (`x-ratelimit-*`); people's tokens are not counted.
   */
  rateLimits(): GitHubRateLimit[] {
    return this.#portalRateLimits.current();
  }

  /** The repository and the branch pull requests go into, e.g. `main`. */
  async repository(): Promise<Omit<GitOpsRepository, 'token'>> {
    const { token: _token, ...repository } = await this.#repository();
    return repository;
  }

  /** Opens a deployment's pull request as the portal, or updates the open one of its branch. */
  async openOrUpdate(content: PullRequestContent): Promise<OpenedPullRequest> {
    const { github, repository } = await this.#portal();
    return openOrUpdatePullRequest(github, repository, content);
  }

  /**
   * Every pull request of the repository, open and closed, most recently updated first (one
   * call per hundred; an unchanged page costs no rate limit).
   */
  async list(): Promise<GitOpsPullRequest[]> {
    const { github, repo } = await this.#portal();
    const pulls = await github.paginate(github.rest.pulls.list, {
      ...repo,
      state: 'all',
      sort: 'updated',
      direction: 'desc',
      per_page: 100,
    });
    return pulls.map(p => pullRequestFromRest(p as RestPullRequest));
  }

  /** The reviews of a pull request, oldest first. */
  async reviews(pullRequestNumber: number): Promise<PullRequestReview[]> {
    const { github, repo } = await this.#portal();
    const reviews = await github.paginate(github.rest.pulls.listReviews, {
      ...repo,
      pull_number: pullRequestNumber,
      per_page: 100,
    });
    return reviews
      .filter(r => r.state !== 'PENDING')
      .map(r => reviewFromRest(r as RestReview));
  }

  /**
   * One pull request in full: reviews, files, the head's commit statuses and mergeability. A pull
   * request the portal has just opened has neither reviews nor statuses yet: `{ opened: true }`
   * leaves those two reads out.
   */
  async get(
    pullRequestNumber: number,
    options: { opened?: boolean } = {},
  ): Promise<GitOpsPullRequestDetail> {
    const { github, repo } = await this.#portal();
    const target = { ...repo, pull_number: pullRequestNumber };
    const [pull, files, reviews] = await Promise.all([
      github.rest.pulls.get(target),
      github.paginate(github.rest.pulls.listFiles, {
        ...target,
        per_page: 100,
      }),
      options.opened ? [] : this.reviews(pullRequestNumber),
    ]);
    const statuses = options.opened
      ? []
      : (
          await github.rest.repos.getCombinedStatusForRef({
            ...repo,
            ref: pull.data.head.sha,
          })
        ).data.statuses;
    return {
      ...pullRequestFromRest(pull.data as RestPullRequest),
      reviews,
      files: files.map(f => ({
        path: f.filename,
        status: f.status,
        patch: f.patch,
      })),
      checks: statuses.map(s => ({
        context: s.context,
        state: s.state,
        description: s.description ?? undefined,
      })),
    };
  }

  /**
   * Files of the base branch by path, as one read of the repository: a path the base branch has
   * no file at maps to undefined.
   */
  async readBaseFiles(
    paths: string[],
  ): Promise<Map<string, string | undefined>> {
    const { github, repo, repository } = await this.#portal();
    const read = async (path: string) => {
      try {
        const { data } = await github.rest.repos.getContent({
          ...repo,
          path,
          ref: repository.baseBranch,
        });
        if (Array.isArray(data) || data.type !== 'file') {
          throw new Error(`${path} on ${repository.baseBranch} is not a file`);
        }
        return Buffer.from(data.content, 'base64').toString('utf8');
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    };
    const contents = await Promise.all(paths.map(read));
    return new Map(paths.map((path, i) => [path, contents[i]]));
  }

  /**
   * Approves a pull request or asks for changes, as the person whose GitHub token this is.
   * GitHub's refusal comes back as a 403 or 409 error with GitHub's message.
   */
  async review(
    pullRequestNumber: number,
    review: { event: 'APPROVE' | 'REQUEST_CHANGES'; body?: string },
    as: GitHubUserToken,
  ): Promise<PullRequestReview> {
    const { github: asPerson, repo } = await this.#portal(as);
    try {
      const { data } = await asPerson.rest.pulls.createReview({
        ...repo,
        pull_number: pullRequestNumber,
        event: review.event,
        body: review.body,
      });
      return reviewFromRest(data as RestReview);
    } catch (error) {
      throw gitHubRefusal(error, 'review');
    }
  }

  /**
   * Merges a pull request as the person whose GitHub token this is, only if its head is still
   * `sha` (GitHub answers 409 otherwise); returns the merge commit.
   */
  async merge(
    pullRequestNumber: number,
    as: GitHubUserToken,
    sha: string,
  ): Promise<{ sha: string }> {
    const { github: asPerson, repo } = await this.#portal(as);
    try {
      const { data } = await asPerson.rest.pulls.merge({
        ...repo,
        pull_number: pullRequestNumber,
        merge_method: 'merge',
        sha,
      });
      return { sha: data.sha };
    } catch (error) {
      throw gitHubRefusal(error, 'merge');
    }
  }

  /** The GitHub login a person's token belongs to (`GET /user`); GitHub's refusal as a 403. */
  async loginOf(as: GitHubUserToken): Promise<string> {
    const { github: asPerson } = await this.#portal(as);
    try {
      const { data } = await asPerson.rest.users.getAuthenticated();
      return data.login;
    } catch (error) {
      throw gitHubRefusal(error, 'token');
    }
  }

  /** Posts the approval gate's verdict as the `omnivision/approval` commit status, as the portal. */
  async postApprovalStatus(status: ApprovalStatus): Promise<void> {
    const { github, repo } = await this.#portal();
    await github.rest.repos.createCommitStatus({
      ...repo,
      sha: status.sha,
      state: status.state,
      context: APPROVAL_STATUS_CONTEXT,
      description: status.description,
      target_url: status.targetUrl,
    });
  }

  /**
   * The model values files of the base branch in the given cluster folders, with their content:
   * one conditional read of the branch's tree, and each blob read once (they never change).
   */
  async readBaseModelFiles(
    gitopsFolders: string[],
  ): Promise<Array<{ path: string; content: string }>> {
    const { github, repo, repository } = await this.#portal();
    const { data } = await github.rest.git.getTree({
      ...repo,
      tree_sha: repository.baseBranch,
      recursive: 'true',
    });
    const files = data.tree.filter(entry => {
      const parsed =
        entry.type === 'blob' && entry.path
          ? parseModelValuesPath(entry.path)
          : undefined;
      return !!parsed && gitopsFolders.includes(parsed.gitopsFolder);
    });
    return Promise.all(
      files.map(async entry => {
        let content = this.#blobs.get(entry.sha!);
        if (content === undefined) {
          const blob = await github.rest.git.getBlob({
            ...repo,
            file_sha: entry.sha!,
          });
          content = Buffer.from(blob.data.content, 'base64').toString('utf8');
          if (this.#blobs.size >= 5000) this.#blobs.clear();
          this.#blobs.set(entry.sha!, content);
        }
        return { path: entry.path!, content };
      }),
    );
  }
}
