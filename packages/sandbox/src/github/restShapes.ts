import type { GitHubUser } from './GitHubUsers';
import type { StoredLabel, StoredPullRequest } from './PullRequestStore';
import type { StoredReview } from './BranchProtection';
import { createRepositoryShapes, isoSeconds, nodeId } from './repositoryShapes';

export { SANDBOX_EPOCH, isoSeconds, nodeId } from './repositoryShapes';

/**
 * The objects of GitHub's REST API as the sandbox renders them, one builder per schema of
 * GitHub's published description (simple-user, repository, pull-request, diff-entry, ...), so
 * that every route answers the same shape with every required field, and URLs (and URL
 * templates) built from the sandbox's own base URL the way GitHub builds them.
 */

export interface ShapeContext {
  owner: string;
  repo: string;
  /** e.g. http://127.0.0.1:7010 */
  webBaseUrl: () => string;
  /** e.g. http://127.0.0.1:7010/api/v3 */
  apiBaseUrl: () => string;
  /** Team slug → member logins, in a stable order (team ids follow it). */
  teams: Record<string, string[]>;
}

/** The figures of a pull request that take git work to find (the detailed shape only). */
export interface PullRequestFigures {
  merged: boolean;
  mergeable: boolean | null;
  mergeableState: string;
  mergedBy: GitHubUser | null;
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
}

/** A file a pull request changes, as `GET /pulls/{n}/files` lists it (schema diff-entry). */
export interface DiffEntryInput {
  filename: string;
  status: 'added' | 'removed' | 'modified';
  /** The blob after the change, or before it for a removed file. */
  sha: string;
  additions: number;
  deletions: number;
  patch?: string;
  /** The ref the file's contents URL points at. */
  ref: string;
}

/** A commit as isomorphic-git reads it. */
export interface GitCommitData {
  message: string;
  tree: string;
  parent: string[];
  author: { name: string; email: string; timestamp: number };
  committer: { name: string; email: string; timestamp: number };
}

export type GitHubShapes = ReturnType<typeof createGitHubShapes>;

export function createGitHubShapes(ctx: ShapeContext) {
  const { owner, repo } = ctx;
  const api = () => ctx.apiBaseUrl();
  const web = () => ctx.webBaseUrl();
  const repoApi = () => `${api()}/repos/${owner}/${repo}`;
  const repoWeb = () => `${web()}/${owner}/${repo}`;

  const {
    simpleUser,
    organization,
    privateUser,
    minimalRepository,
    repository,
    fullRepository,
  } = createRepositoryShapes(ctx);

  const teamId = (slug: string) => {
    const index = Object.keys(ctx.teams).indexOf(slug);
    return index >= 0
      ? 9001 + index
      : 9500 + [...slug].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 400, 0);
  };

  /** team (also a valid team-simple). */
  const team = (slug: string) => {
    const id = teamId(slug);
    return {
      id,
      node_id: nodeId('Team', id),
      url: `${api()}/teams/${id}`,
      html_url: `${web()}/orgs/${owner}/teams/${slug}`,
      name: slug,
      slug,
      description: null,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${api()}/teams/${id}/members{/member}`,
      repositories_url: `${api()}/teams/${id}/repos`,
      type: 'organization' as const,
      parent: null,
    };
  };

  const label = (l: StoredLabel) => ({
    id: l.id,
    node_id: nodeId('Label', l.id),
    url: `${repoApi()}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    // pull-request-simple declares a label's description a string: '' when there is none.
    description: l.description ?? '',
  });

  /** git-commit (the Git Data API's commit). */
  const gitCommit = (sha: string, c: GitCommitData) => {
    const sig = (x: { name: string; email: string; timestamp: number }) => ({
      name: x.name,
      email: x.email,
      date: isoSeconds(new Date(x.timestamp * 1000)),
    });
    return {
      sha,
      node_id: nodeId('Commit:', sha),
      url: `${repoApi()}/git/commits/${sha}`,
      html_url: `${repoWeb()}/commit/${sha}`,
      message: c.message.replace(/\n$/, ''),
      tree: { sha: c.tree, url: `${repoApi()}/git/trees/${c.tree}` },
      parents: c.parent.map(p => ({
        sha: p,
        url: `${repoApi()}/git/commits/${p}`,
        html_url: `${repoWeb()}/commit/${p}`,
      })),
      author: sig(c.author),
      committer: sig(c.committer),
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null,
      },
    };
  };

  /** commit (the REST commit, as a branch's tip), with the people it maps to, if any. */
  const commit = (
    sha: string,
    c: GitCommitData,
    people: { author?: GitHubUser; committer?: GitHubUser },
  ) => {
    const git = gitCommit(sha, c);
    return {
      sha,
      node_id: git.node_id,
      url: `${repoApi()}/commits/${sha}`,
      html_url: git.html_url,
      comments_url: `${repoApi()}/commits/${sha}/comments`,
      commit: {
        author: git.author,
        committer: git.committer,
        message: git.message,
        tree: git.tree,
        url: git.url,
        comment_count: 0,
        verification: git.verification,
      },
      author: people.author ? simpleUser(people.author) : {},
      committer: people.committer ? simpleUser(people.committer) : {},
      parents: c.parent.map(p => ({
        sha: p,
        url: `${repoApi()}/commits/${p}`,
        html_url: `${repoWeb()}/commit/${p}`,
      })),
    };
  };

  const gitRef = (ref: string, sha: string) => ({
    ref,
    node_id: nodeId('Ref:', ref),
    url: `${repoApi()}/git/${ref}`,
    object: { sha, type: 'commit', url: `${repoApi()}/git/commits/${sha}` },
  });

  /** pull-request-simple: what lists and reviewer requests answer. */
  const pullRequestSimple = (
    pr: StoredPullRequest,
    refs: { head: string; base: string; pushedAt: string },
    users: {
      author: GitHubUser;
      reviewers: GitHubUser[];
      labels: StoredLabel[];
    },
  ) => {
    const url = `${repoApi()}/pulls/${pr.number}`;
    const htmlUrl = `${repoWeb()}/pull/${pr.number}`;
    const issueUrl = `${repoApi()}/issues/${pr.number}`;
    const branch = (ref: string, sha: string) => ({
      label: `${owner}:${ref}`,
      ref,
      sha,
      user: organization(),
      repo: repository(refs.pushedAt),
    });
    const links = {
      self: url,
      html: htmlUrl,
      issue: issueUrl,
      comments: `${issueUrl}/comments`,
      review_comments: `${url}/comments`,
      review_comment: `${repoApi()}/pulls/comments{/number}`,
      commits: `${url}/commits`,
      statuses: `${repoApi()}/statuses/${refs.head}`,
    };
    return {
      url,
      id: 5_000_000 + pr.number,
      node_id: nodeId('PullRequest', pr.number),
      html_url: htmlUrl,
      diff_url: `${htmlUrl}.diff`,
      patch_url: `${htmlUrl}.patch`,
      issue_url: issueUrl,
      commits_url: links.commits,
      review_comments_url: links.review_comments,
      review_comment_url: links.review_comment,
      comments_url: links.comments,
      statuses_url: links.statuses,
      number: pr.number,
      state: pr.state,
      locked: false,
      active_lock_reason: null,
      title: pr.title,
      user: simpleUser(users.author),
      body: pr.body,
      labels: users.labels.map(label),
      milestone: null,
      created_at: pr.created_at,
      updated_at: pr.updated_at,
      closed_at: pr.closed_at,
      merged_at: pr.merged_at,
      merge_commit_sha: pr.merge_commit_sha,
      assignee: null,
      assignees: [],
      requested_reviewers: users.reviewers.map(simpleUser),
      requested_teams: pr.requested_teams.map(team),
      head: branch(pr.head, refs.head),
      base: branch(pr.base, refs.base),
      _links: Object.fromEntries(
        Object.entries(links).map(([rel, href]) => [rel, { href }]),
      ),
      author_association: 'MEMBER' as const,
      auto_merge: null,
      draft: pr.draft,
    };
  };

  /** pull-request: the simple shape with the figures `GET /pulls/{n}` adds. */
  const pullRequest = (
    simple: ReturnType<typeof pullRequestSimple>,
    figures: PullRequestFigures,
  ) => ({
    ...simple,
    merged: figures.merged,
    mergeable: figures.mergeable,
    rebaseable: figures.mergeable,
    mergeable_state: figures.mergeableState,
    merged_by: figures.mergedBy ? simpleUser(figures.mergedBy) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: figures.commits,
    additions: figures.additions,
    deletions: figures.deletions,
    changed_files: figures.changedFiles,
  });

  /** pull-request-review. */
  const review = (
    pullNumber: number,
    r: StoredReview,
    reviewer: GitHubUser,
  ) => {
    const htmlUrl = `${repoWeb()}/pull/${pullNumber}#pullrequestreview-${r.id}`;
    const pullUrl = `${repoApi()}/pulls/${pullNumber}`;
    return {
      id: r.id,
      node_id: nodeId('Review', r.id),
      user: simpleUser(reviewer),
      body: r.body,
      state: r.state,
      html_url: htmlUrl,
      pull_request_url: pullUrl,
      _links: { html: { href: htmlUrl }, pull_request: { href: pullUrl } },
      // A pending review has not been submitted.
      ...(r.state === 'PENDING' ? {} : { submitted_at: r.submitted_at }),
      commit_id: r.commit_id,
      author_association: 'MEMBER' as const,
    };
  };

  /** diff-entry. */
  const diffEntry = (f: DiffEntryInput) => {
    const path = f.filename.split('/').map(encodeURIComponent).join('/');
    return {
      sha: f.sha,
      filename: f.filename,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changes: f.additions + f.deletions,
      blob_url: `${repoWeb()}/blob/${f.sha}/${path}`,
      raw_url: `${repoWeb()}/raw/${f.sha}/${path}`,
      contents_url: `${repoApi()}/contents/${path}?ref=${encodeURIComponent(
        f.ref,
      )}`,
      ...(f.patch !== undefined ? { patch: f.patch } : {}),
    };
  };

  return {
    repoApi,
    repoWeb,
    simpleUser,
    organization,
    privateUser,
    minimalRepository,
    repository,
    fullRepository,
    team,
    label,
    gitRef,
    gitCommit,
    commit,
    pullRequestSimple,
    pullRequest,
    review,
    diffEntry,
  };
}
