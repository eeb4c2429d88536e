import type { GitHubUser } from './GitHubUsers';
import type { StoredLabel, StoredPullRequest } from './PullRequestStore';
import type { StoredReview } from './BranchProtection';

/**
 * The objects of GitHub's REST API as the sandbox renders them, one builder per schema of
 * GitHub's published description (simple-user, repository, pull-request, diff-entry, ...), so
 * that every route answers the same shape with every required field, and URLs (and URL
 * templates) built from the sandbox's own base URL the way GitHub builds them.
 */

/** When the sandbox's people, organization and repository "were created". */
export const SANDBOX_EPOCH = '2024-01-15T09:00:00Z';
const ORG_ID = 4100;
const REPO_ID = 4242;

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

export const nodeId = (kind: string, id: string | number) =>
  Buffer.from(`${kind}${id}`).toString('base64');

/** ISO 8601 without milliseconds, as GitHub writes times. */
export const isoSeconds = (date: Date) =>
  date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export type GitHubShapes = ReturnType<typeof createGitHubShapes>;

export function createGitHubShapes(ctx: ShapeContext) {
  const { owner, repo } = ctx;
  const api = () => ctx.apiBaseUrl();
  const web = () => ctx.webBaseUrl();
  const repoApi = () => `${api()}/repos/${owner}/${repo}`;
  const repoWeb = () => `${web()}/${owner}/${repo}`;

  /** simple-user, for a person or (type Organization) for the owner. */
  const account = (a: {
    login: string;
    id: number;
    type: 'User' | 'Organization';
    name?: string;
    email?: string;
  }) => {
    const url = `${api()}/users/${a.login}`;
    return {
      login: a.login,
      id: a.id,
      node_id: nodeId(a.type, a.id),
      avatar_url: `${web()}/avatars/${a.login}`,
      gravatar_id: '',
      url,
      html_url: `${web()}/${a.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: a.type,
      user_view_type: 'public',
      site_admin: false,
      ...(a.name !== undefined ? { name: a.name } : {}),
      ...(a.email !== undefined ? { email: a.email } : {}),
    };
  };

  const simpleUser = (u: GitHubUser) =>
    account({ ...u, type: 'User', name: u.name, email: u.email });

  const organization = () =>
    account({ login: owner, id: ORG_ID, type: 'Organization' });

  /** The authenticated user (`GET /user`, schema private-user). */
  const privateUser = (u: GitHubUser) => ({
    ...simpleUser(u),
    user_view_type: 'private',
    company: null,
    blog: '',
    location: null,
    hireable: null,
    bio: null,
    twitter_username: null,
    notification_email: u.email,
    public_repos: 0,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: SANDBOX_EPOCH,
    updated_at: SANDBOX_EPOCH,
    private_gists: 0,
    total_private_repos: 0,
    owned_private_repos: 0,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
  });

  /** minimal-repository: the identity and URL templates of the one repository. */
  const minimalRepository = () => {
    const r = repoApi();
    return {
      id: REPO_ID,
      node_id: nodeId('Repository', REPO_ID),
      name: repo,
      full_name: `${owner}/${repo}`,
      owner: organization(),
      private: true,
      html_url: repoWeb(),
      description: null,
      fork: false,
      url: r,
      archive_url: `${r}/{archive_format}{/ref}`,
      assignees_url: `${r}/assignees{/user}`,
      blobs_url: `${r}/git/blobs{/sha}`,
      branches_url: `${r}/branches{/branch}`,
      collaborators_url: `${r}/collaborators{/collaborator}`,
      comments_url: `${r}/comments{/number}`,
      commits_url: `${r}/commits{/sha}`,
      compare_url: `${r}/compare/{base}...{head}`,
      contents_url: `${r}/contents/{+path}`,
      contributors_url: `${r}/contributors`,
      deployments_url: `${r}/deployments`,
      downloads_url: `${r}/downloads`,
      events_url: `${r}/events`,
      forks_url: `${r}/forks`,
      git_commits_url: `${r}/git/commits{/sha}`,
      git_refs_url: `${r}/git/refs{/sha}`,
      git_tags_url: `${r}/git/tags{/sha}`,
      hooks_url: `${r}/hooks`,
      issue_comment_url: `${r}/issues/comments{/number}`,
      issue_events_url: `${r}/issues/events{/number}`,
      issues_url: `${r}/issues{/number}`,
      keys_url: `${r}/keys{/key_id}`,
      labels_url: `${r}/labels{/name}`,
      languages_url: `${r}/languages`,
      merges_url: `${r}/merges`,
      milestones_url: `${r}/milestones{/number}`,
      notifications_url: `${r}/notifications{?since,all,participating}`,
      pulls_url: `${r}/pulls{/number}`,
      releases_url: `${r}/releases{/id}`,
      stargazers_url: `${r}/stargazers`,
      statuses_url: `${r}/statuses/{sha}`,
      subscribers_url: `${r}/subscribers`,
      subscription_url: `${r}/subscription`,
      tags_url: `${r}/tags`,
      teams_url: `${r}/teams`,
      trees_url: `${r}/git/trees{/sha}`,
    };
  };

  /** repository (as in a pull request's head and base), pushed at the given time. */
  const repository = (pushedAt: string) => {
    const host = new URL(web()).host;
    return {
      ...minimalRepository(),
      git_url: `git://${host}/${owner}/${repo}.git`,
      ssh_url: `git@${host}:${owner}/${repo}.git`,
      clone_url: `${repoWeb()}.git`,
      svn_url: repoWeb(),
      mirror_url: null,
      homepage: null,
      language: null,
      size: 0,
      default_branch: 'main',
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers: 0,
      watchers_count: 0,
      open_issues: 0,
      open_issues_count: 0,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: false,
      has_wiki: false,
      has_pages: false,
      has_downloads: false,
      has_discussions: false,
      archived: false,
      disabled: false,
      visibility: 'private',
      license: null,
      allow_forking: false,
      web_commit_signoff_required: false,
      pushed_at: pushedAt,
      created_at: SANDBOX_EPOCH,
      updated_at: pushedAt,
    };
  };

  /** full-repository (`GET /repos/{owner}/{repo}`), as a collaborator with push access sees it. */
  const fullRepository = (pushedAt: string) => ({
    ...repository(pushedAt),
    permissions: {
      admin: false,
      maintain: false,
      push: true,
      triage: true,
      pull: true,
    },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    organization: organization(),
    network_count: 0,
    subscribers_count: 0,
  });

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
