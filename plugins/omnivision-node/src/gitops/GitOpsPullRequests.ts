import { createGitHubClient } from './GitHubClient';
import type {
  GitHubUserToken,
  GitOpsPullRequest,
  GitOpsPullRequestDetail,
  OpenedPullRequest,
  PullRequestReview,
} from './GitOpsPullRequest';
import type { GitOpsRepository } from './GitOpsRepository';
import { gitHubRefusal } from './gitHubRefusal';
import {
  PullRequestContent,
  openOrUpdatePullRequest,
} from './openOrUpdatePullRequest';

/** A pull request as GitHub's REST API answers it, in the fields the portal reads. */
interface RestPull {
  number: number;
  title: string;
  state: string;
  merged?: boolean;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  requested_reviewers?: Array<{ login: string }> | null;
  requested_teams?: Array<{ slug: string }> | null;
}

function fromRest(pull: RestPull): GitOpsPullRequest {
  const merged = pull.merged ?? !!pull.merged_at;
  return {
    number: pull.number,
    title: pull.title,
    state: pull.state === 'open' ? 'open' : 'closed',
    merged,
    mergedAt: pull.merged_at ?? undefined,
    mergeSha: merged ? pull.merge_commit_sha ?? undefined : undefined,
    requestedReviewers: [
      ...(pull.requested_reviewers ?? []).map(u => u.login),
      ...(pull.requested_teams ?? []).map(t => `@${t.slug}`),
    ],
  };
}

/**
 * The pull requests of the GitOps repository: the one place the portal writes to GitHub and
 * reads it. Opens or updates a deployment's pull request as the portal (at most six REST calls),
 * reads pull requests, their reviews, files and statuses and the base branch's files as the
 * portal, and reviews or merges as a person with their own GitHub token, so that GitHub's branch
 * protection stays the gate. Each call takes a fresh token from the repository's locator.
 *
 * @public
 */
export class GitOpsPullRequests {
  readonly #repository: () => Promise<GitOpsRepository>;

  static create(options: {
    repository: () => Promise<GitOpsRepository>;
  }): GitOpsPullRequests {
    return new GitOpsPullRequests(options.repository);
  }

  private constructor(repository: () => Promise<GitOpsRepository>) {
    this.#repository = repository;
  }

  /**
   * The repository, a client of it (as the portal itself, or as a person with their token), and
   * the owner/repo pair of every call.
   */
  async #portal(as?: GitHubUserToken) {
    const repository = await this.#repository();
    return {
      repository,
      github: createGitHubClient(
        as ? { ...repository, token: as.githubToken } : repository,
      ),
      repo: { owner: repository.owner, repo: repository.repo },
    };
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

  /** Every pull request of the repository, open and closed (one call per hundred). */
  async list(): Promise<GitOpsPullRequest[]> {
    const { github, repo } = await this.#portal();
    const pulls = await github.paginate(github.rest.pulls.list, {
      ...repo,
      state: 'all',
      per_page: 100,
    });
    return pulls.map(fromRest);
  }

  /** The reviews of a pull request, oldest first. */
  async reviews(pullRequestNumber: number): Promise<PullRequestReview[]> {
    const { github, repo } = await this.#portal();
    const { data } = await github.rest.pulls.listReviews({
      ...repo,
      pull_number: pullRequestNumber,
      per_page: 100,
    });
    return data.map(r => ({
      user: r.user?.login ?? 'unknown',
      state: r.state as PullRequestReview['state'],
      submittedAt: r.submitted_at ?? '',
      body: r.body || undefined,
    }));
  }

  /** One pull request in full: reviews, files, the head's commit statuses and mergeability. */
  async get(pullRequestNumber: number): Promise<GitOpsPullRequestDetail> {
    const { github, repo } = await this.#portal();
    const target = { ...repo, pull_number: pullRequestNumber };
    const [pull, files, reviews] = await Promise.all([
      github.rest.pulls.get(target),
      github.rest.pulls.listFiles({ ...target, per_page: 100 }),
      this.reviews(pullRequestNumber),
    ]);
    const statuses = await github.rest.repos
      .getCombinedStatusForRef({ ...repo, ref: pull.data.head.sha })
      .then(
        r => r.data.statuses,
        () => [],
      );
    return {
      ...fromRest(pull.data),
      mergeable: pull.data.mergeable,
      mergeableState: pull.data.mergeable_state,
      reviews,
      files: files.data.map(f => ({
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
  ): Promise<void> {
    const { github: asPerson, repo } = await this.#portal(as);
    try {
      await asPerson.rest.pulls.createReview({
        ...repo,
        pull_number: pullRequestNumber,
        event: review.event,
        body: review.body,
      });
    } catch (error) {
      throw gitHubRefusal(error, 'review');
    }
  }

  /** Merges a pull request as the person whose GitHub token this is; returns the merge commit. */
  async merge(
    pullRequestNumber: number,
    as: GitHubUserToken,
  ): Promise<{ sha: string }> {
    const { github: asPerson, repo } = await this.#portal(as);
    try {
      const { data } = await asPerson.rest.pulls.merge({
        ...repo,
        pull_number: pullRequestNumber,
        merge_method: 'merge',
      });
      return { sha: data.sha };
    } catch (error) {
      throw gitHubRefusal(error, 'merge');
    }
  }
}
