import { ConflictError, InputError } from '@backstage/errors';
import {
  GitHubClient,
  GitOpsRepository,
  PORTAL_MARKER,
  createGitHubClient,
} from '@internal/plugin-omnivision-node';

/** A pull request the portal opened or updated. */
export interface DeploymentPullRequest {
  number: number;
  url: string;
  /** False when the same request ran again and updated its open pull request. */
  created: boolean;
}

function isStatus(error: unknown, status: number): boolean {
  return (error as { status?: number })?.status === status;
}

/**
 * Opens (or, for the same request again, updates) a deployment's pull request in the GitOps
 * repository through the Git Data API: the branch's tip as a base, one tree with every file
 * inline, one commit, the branch, the pull request, its labels. Six REST calls for a new pull
 * request, however many files. A branch that exists shows up as the 422 of creating its ref:
 * then the open pull request the portal opened from it is updated (fast-forward only), and a
 * branch the portal did not open a pull request from is left untouched and refused.
 */
export class GitOpsPullRequests {
  readonly #octokit: GitHubClient;

  static create(repository: GitOpsRepository): GitOpsPullRequests {
    return new GitOpsPullRequests(repository);
  }

  private constructor(private readonly repository: GitOpsRepository) {
    this.#octokit = createGitHubClient(repository);
  }

  get #repo() {
    return { owner: this.repository.owner, repo: this.repository.repo };
  }

  async openOrUpdate(options: {
    branch: string;
    title: string;
    body: string;
    labels: string[];
    files: Array<{ path: string; content: string }>;
  }): Promise<DeploymentPullRequest> {
    const octokit = this.#octokit;
    const repo = this.#repo;
    const body = `${options.body}\n\n${PORTAL_MARKER}\n`;

    // 1. The base branch's tip and its tree, in one call.
    const base = await octokit.repos.getBranch({
      ...repo,
      branch: this.repository.baseBranch,
    });
    const baseSha = base.data.commit.sha;
    // 2. One tree: the base's, with every file inline.
    const tree = await octokit.git.createTree({
      ...repo,
      base_tree: base.data.commit.commit.tree.sha,
      tree: options.files.map(f => ({
        path: f.path,
        mode: '100644' as const,
        type: 'blob' as const,
        content: f.content,
      })),
    });
    // 3. One commit on the base.
    const commit = await octokit.git.createCommit({
      ...repo,
      message: options.title,
      tree: tree.data.sha,
      parents: [baseSha],
    });
    // 4. The branch; a 422 says it exists.
    try {
      await octokit.git.createRef({
        ...repo,
        ref: `refs/heads/${options.branch}`,
        sha: commit.data.sha,
      });
    } catch (error) {
      if (!isStatus(error, 422)) throw error;
      return this.#updateExisting(
        options.branch,
        tree.data.sha,
        options.title,
        body,
      );
    }
    // 5. The pull request (GitHub requests review from the code owners by itself).
    const pull = await octokit.pulls.create({
      ...repo,
      title: options.title,
      head: options.branch,
      base: this.repository.baseBranch,
      body,
    });
    // 6. Its labels.
    if (options.labels.length > 0) {
      await octokit.issues.addLabels({
        ...repo,
        issue_number: pull.data.number,
        labels: options.labels,
      });
    }
    return { number: pull.data.number, url: pull.data.html_url, created: true };
  }

  async #updateExisting(
    branch: string,
    treeSha: string,
    title: string,
    body: string,
  ): Promise<DeploymentPullRequest> {
    const octokit = this.#octokit;
    const repo = this.#repo;
    const pulls = await octokit.pulls.list({
      ...repo,
      state: 'open',
      head: `${this.repository.owner}:${branch}`,
    });
    const ours = pulls.data.find(p => (p.body ?? '').includes(PORTAL_MARKER));
    if (!ours) {
      throw new ConflictError(
        `branch ${branch} already exists in ${repo.owner}/${repo.repo} without an open pull request from the portal; it was left untouched. Delete it or choose other parameters.`,
      );
    }
    const head = await octokit.git.getRef({ ...repo, ref: `heads/${branch}` });
    const headCommit = await octokit.git.getCommit({
      ...repo,
      commit_sha: head.data.object.sha,
    });
    if (headCommit.data.tree.sha !== treeSha) {
      // A new commit on top of the branch: a fast-forward, never a force.
      const commit = await octokit.git.createCommit({
        ...repo,
        message: title,
        tree: treeSha,
        parents: [head.data.object.sha],
      });
      await octokit.git.updateRef({
        ...repo,
        ref: `heads/${branch}`,
        sha: commit.data.sha,
        force: false,
      });
    }
    await octokit.pulls.update({
      ...repo,
      pull_number: ours.number,
      title,
      body,
    });
    return { number: ours.number, url: ours.html_url, created: false };
  }
}

/** Refuses a file path outside the models folders of the configured regions. */
export function assertModelFilePath(path: string, gitopsFolders: string[]) {
  const ok = gitopsFolders.some(folder => {
    const prefix = `${folder}/models/`;
    if (!path.startsWith(prefix)) return false;
    const file = path.slice(prefix.length);
    return (
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\.yaml$/.test(file) && file.length <= 68
    );
  });
  if (!ok) {
    throw new InputError(
      `refusing to write ${JSON.stringify(
        path,
      )}: deployments only write <region folder>/models/<model>.yaml (${gitopsFolders.join(
        ', ',
      )})`,
    );
  }
}
