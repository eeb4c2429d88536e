import type { Octokit } from '@octokit/rest';
import { APPROVAL_STATUS_CONTEXT } from '@internal/plugin-omnivision-common';
import { PORTAL_APP } from '../github/GitHubApp';
import { SANDBOX_USERS } from '../github/GitHubUsers';

export interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * Commits files on top of a parent (main's head by default) through the Git Data API and points
 * a branch at the commit, creating or moving it. Returns the commit's sha.
 */
export async function commitFiles(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
  files: Record<string, string>,
  parent?: string,
): Promise<string> {
  const parentSha =
    parent ??
    (await octokit.git.getRef({ ...repo, ref: 'heads/main' })).data.object.sha;
  const baseTree = (
    await octokit.git.getCommit({ ...repo, commit_sha: parentSha })
  ).data.tree.sha;
  const tree = await octokit.git.createTree({
    ...repo,
    base_tree: baseTree,
    tree: Object.entries(files).map(([path, content]) => ({
      path,
      mode: '100644' as const,
      type: 'blob' as const,
      content,
    })),
  });
  const commit = await octokit.git.createCommit({
    ...repo,
    message: `Update ${branch}`,
    tree: tree.data.sha,
    parents: [parentSha],
  });
  const exists = await octokit.git
    .getRef({ ...repo, ref: `heads/${branch}` })
    .then(
      () => true,
      () => false,
    );
  if (exists) {
    await octokit.git.updateRef({
      ...repo,
      ref: `heads/${branch}`,
      sha: commit.data.sha,
    });
  } else {
    await octokit.git.createRef({
      ...repo,
      ref: `refs/heads/${branch}`,
      sha: commit.data.sha,
    });
  }
  return commit.data.sha;
}

/**
 * A client of the same GitHub (and the same Octokit class, plugins included) as `octokit`,
 * acting as the portal's GitHub App.
 */
export function asPortal(octokit: Octokit): Octokit {
  const Client = octokit.constructor as new (options: {
    baseUrl: string;
    auth: string;
  }) => Octokit;
  return new Client({
    baseUrl: octokit.request.endpoint.DEFAULTS.baseUrl,
    auth: SANDBOX_USERS.find(u => u.login === PORTAL_APP.login)!.token,
  });
}

/**
 * Posts the portal's approval gate status on a commit, as the portal's app does once a code
 * owner approved: `main`'s protection requires it, from the portal, on the pull request's head.
 */
export async function postPortalApproval(
  octokit: Octokit,
  repo: RepoRef,
  sha: string,
  state: 'success' | 'pending' | 'failure' = 'success',
): Promise<void> {
  await asPortal(octokit).repos.createCommitStatus({
    ...repo,
    sha,
    state,
    context: APPROVAL_STATUS_CONTEXT,
    description: state === 'success' ? 'Approved' : 'Waiting for approval',
  });
}

/**
 * The whole GitOps path of a change: branch, pull request, a code owner's approval, the
 * portal's approval status on its head, merge.
 */
export async function mergeFiles(options: {
  author: Octokit;
  approver: Octokit;
  repo: RepoRef;
  branch: string;
  files: Record<string, string>;
}): Promise<{ number: number; mergeSha: string }> {
  const { author, approver, repo, branch, files } = options;
  const head = await commitFiles(author, repo, branch, files);
  const pr = await author.pulls.create({
    ...repo,
    title: `Change ${branch}`,
    head: branch,
    base: 'main',
  });
  await approver.pulls.createReview({
    ...repo,
    pull_number: pr.data.number,
    event: 'APPROVE',
  });
  await postPortalApproval(author, repo, head);
  const merge = await approver.pulls.merge({
    ...repo,
    pull_number: pr.data.number,
  });
  return { number: pr.data.number, mergeSha: merge.data.sha };
}

/** The two reads repositoryState makes, as any @octokit/rest version serves them. */
export interface RepositoryReader {
  git: {
    listMatchingRefs(
      params: Record<string, unknown> & RepoRef & { ref: string },
    ): Promise<{
      data: Array<{ ref: string; object: { sha: string } }>;
    }>;
  };
  pulls: {
    list(
      params: Record<string, unknown> & RepoRef & { state: 'all' },
    ): Promise<{ data: unknown[] }>;
  };
}

/**
 * What a write to the repository would change: every branch with its tip, and the number of pull
 * requests. Tests compare it before and after a refused request to prove nothing was written.
 */
export async function repositoryState(
  octokit: RepositoryReader,
  repo: RepoRef,
): Promise<{ refs: string[]; pulls: number }> {
  const refs = await octokit.git.listMatchingRefs({ ...repo, ref: 'heads/' });
  const pulls = await octokit.pulls.list({ ...repo, state: 'all' });
  return {
    refs: refs.data.map(r => `${r.ref}@${r.object.sha}`).sort(),
    pulls: pulls.data.length,
  };
}
