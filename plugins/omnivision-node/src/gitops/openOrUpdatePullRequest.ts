import { ConflictError } from '@backstage/errors';
import type { GitHubClient } from './GitHubClient';
import type { OpenedPullRequest } from './GitOpsPullRequest';
import { PORTAL_MARKER, GitOpsRepository } from './GitOpsRepository';

/** A file a pull request writes (`content`) or removes (`delete`). @public */
export type PullRequestFile =
  | { path: string; content: string }
  | { path: string; delete: true };

/** What a deployment's pull request holds. @public */
export interface PullRequestContent {
  branch: string;
  title: string;
  body: string;
  labels: string[];
  files: PullRequestFile[];
}

function isStatus(error: unknown, status: number): boolean {
  return (error as { status?: number })?.status === status;
}

/**
 * Opens (or, for the same request again, updates) a deployment's pull request through the Git
 * Data API: the base branch's tip as a base, one tree with every file inline (or removed), one commit, the
 * branch, the pull request, its labels. Six REST calls for a new pull request, however many files.
 * A branch that exists shows up as the 422 of creating its ref: then the open pull request the
 * portal opened from it is updated (fast-forward only), a branch left by a merged pull request
 * of the portal's is moved forward and a new pull request opened from it, and any other branch
 * is left untouched and refused.
 */
export async function openOrUpdatePullRequest(
  octokit: GitHubClient,
  repository: GitOpsRepository,
  content: PullRequestContent,
): Promise<OpenedPullRequest> {
  const repo = { owner: repository.owner, repo: repository.repo };
  const body = `${content.body}\n\n${PORTAL_MARKER}\n`;

  // 1. The base branch's tip and its tree, in one call.
  const base = await octokit.repos.getBranch({
    ...repo,
    branch: repository.baseBranch,
  });
  const baseSha = base.data.commit.sha;
  // 2. One tree: the base's, with every file inline; a removed file is a null sha (GitHub
  // refuses with 422 to remove a file the base does not hold).
  const tree = await octokit.git.createTree({
    ...repo,
    base_tree: base.data.commit.commit.tree.sha,
    tree: content.files.map(f => ({
      path: f.path,
      mode: '100644' as const,
      type: 'blob' as const,
      ...('delete' in f ? { sha: null } : { content: f.content }),
    })),
  });
  // 3. One commit on the base.
  const commit = await octokit.git.createCommit({
    ...repo,
    message: content.title,
    tree: tree.data.sha,
    parents: [baseSha],
  });
  // 4. The branch; a 422 says it exists.
  try {
    await octokit.git.createRef({
      ...repo,
      ref: `refs/heads/${content.branch}`,
      sha: commit.data.sha,
    });
  } catch (error) {
    if (!isStatus(error, 422)) throw error;
    const updated = await updateExisting(octokit, repository, {
      branch: content.branch,
      treeSha: tree.data.sha,
      commitSha: commit.data.sha,
      title: content.title,
      body,
    });
    if (updated) return updated;
  }
  // 5. The pull request (GitHub requests review from the code owners by itself).
  const pull = await octokit.pulls.create({
    ...repo,
    title: content.title,
    head: content.branch,
    base: repository.baseBranch,
    body,
  });
  // 6. Its labels.
  if (content.labels.length > 0) {
    await octokit.issues.addLabels({
      ...repo,
      issue_number: pull.data.number,
      labels: content.labels,
    });
  }
  return { number: pull.data.number, url: pull.data.html_url, created: true };
}

/**
 * The branch exists: updates the open pull request the portal opened from it (a fast-forward
 * commit) and returns it; or, when the branch is what is left of a pull request of the portal's
 * that was merged (its head still the merged one), moves it forward to the new commit (a
 * fast-forward: the merge is in the base) and returns undefined for a new pull request to be
 * opened from it, as when the same request comes again after its merge (an update back to the
 * same parameters, a retirement after a new deployment). Any other branch is left untouched and
 * refused.
 */
async function updateExisting(
  octokit: GitHubClient,
  repository: GitOpsRepository,
  update: {
    branch: string;
    treeSha: string;
    commitSha: string;
    title: string;
    body: string;
  },
): Promise<OpenedPullRequest | undefined> {
  const { branch, treeSha, title, body } = update;
  const repo = { owner: repository.owner, repo: repository.repo };
  const pulls = await octokit.pulls.list({
    ...repo,
    state: 'open',
    head: `${repository.owner}:${branch}`,
  });
  const ours = pulls.data.find(p => (p.body ?? '').includes(PORTAL_MARKER));
  const head = await octokit.git.getRef({ ...repo, ref: `heads/${branch}` });
  const refused = new ConflictError(
    `branch ${branch} already exists in ${repo.owner}/${repo.repo} without an open pull request from the portal; it was left untouched. Delete it or choose other parameters.`,
  );
  if (!ours) {
    const closed = await octokit.pulls.list({
      ...repo,
      state: 'closed',
      head: `${repository.owner}:${branch}`,
    });
    const merged = closed.data.some(
      p =>
        !!p.merged_at &&
        (p.body ?? '').includes(PORTAL_MARKER) &&
        p.head.sha === head.data.object.sha,
    );
    if (!merged) throw refused;
    try {
      await octokit.git.updateRef({
        ...repo,
        ref: `heads/${branch}`,
        sha: update.commitSha,
        force: false,
      });
    } catch (error) {
      // Not a fast-forward (e.g. a squash merge): the branch stays as it is.
      if (isStatus(error, 422)) throw refused;
      throw error;
    }
    return undefined;
  }
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
