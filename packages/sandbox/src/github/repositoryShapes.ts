import type { GitHubUser } from './GitHubUsers';

/** When the sandbox's people, organization and repository "were created". */
export const SANDBOX_EPOCH = '2024-01-15T09:00:00Z';
const ORG_ID = 4100;
const REPO_ID = 4242;

export const nodeId = (kind: string, id: string | number) =>
  Buffer.from(`${kind}${id}`).toString('base64');

/** ISO 8601 without milliseconds, as GitHub writes times. */
export const isoSeconds = (date: Date) =>
  date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * GitHub's users and repository objects for the sandbox's one organization and repository
 * (simple-user, private-user, minimal-repository, repository, full-repository), with URLs
 * and URL templates as GitHub gives them, built from the sandbox's base URL.
 */
export function createRepositoryShapes(ctx: {
  owner: string;
  repo: string;
  webBaseUrl: () => string;
  apiBaseUrl: () => string;
}) {
  const { owner, repo } = ctx;
  const api = () => ctx.apiBaseUrl();
  const web = () => ctx.webBaseUrl();
  const repoApi = () => `${api()}/repos/${owner}/${repo}`;
  const repoWeb = () => `${web()}/${owner}/${repo}`;

  /**
   * simple-user, for a person, (type Organization) for the owner, or (type Bot) for a GitHub
   * App's bot, whose login ends in `[bot]` and whose page is the app's.
   */
  const account = (a: {
    login: string;
    id: number;
    type: 'User' | 'Organization' | 'Bot';
    name?: string;
    email?: string;
  }) => {
    const url = `${api()}/users/${encodeURIComponent(a.login)}`;
    const appSlug = a.type === 'Bot' ? a.login.replace(/\[bot\]$/, '') : null;
    return {
      login: a.login,
      id: a.id,
      node_id: nodeId(a.type, a.id),
      avatar_url: `${web()}/avatars/${appSlug ?? a.login}`,
      gravatar_id: '',
      url,
      html_url: appSlug ? `${web()}/apps/${appSlug}` : `${web()}/${a.login}`,
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
    account({
      ...u,
      type: u.role === 'app' ? 'Bot' : 'User',
      name: u.name,
      email: u.email,
    });

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

  return {
    simpleUser,
    organization,
    privateUser,
    minimalRepository,
    repository,
    fullRepository,
  };
}
