import { PORTAL_APP } from '../GitHubApp';
import type { GitHubUser } from '../GitHubUsers';
import type { GitCommitData, GitHubShapes } from '../restShapes';
import { isoSeconds, nodeId } from '../restShapes';

type RestUser = ReturnType<GitHubShapes['simpleUser']>;
type RestTeam = ReturnType<GitHubShapes['team']>;
type RestRepository = ReturnType<GitHubShapes['repository']>;
type RestPullRequestSimple = ReturnType<GitHubShapes['pullRequestSimple']>;
type RestPullRequest = ReturnType<GitHubShapes['pullRequest']>;
type RestReview = ReturnType<GitHubShapes['review']>;

/** A commit of a push, with the files it added, removed and modified against its first parent. */
export interface PushedCommit {
  sha: string;
  commit: GitCommitData;
  added: string[];
  removed: string[];
  modified: string[];
}

/**
 * The objects of GitHub's webhook payloads, from the REST shapes of the same things: webhooks
 * describe users, teams, repositories, pull requests and reviews with slightly different
 * fields (GitHub's webhook schemas, `@octokit/webhooks-schemas`): no `user_view_type`, no team
 * `type`, a repository's `custom_properties`, a review's state in lower case, and, in a push,
 * a repository's times as Unix seconds and commits as `{ id, tree_id, added, ... }`.
 */
export function createWebhookShapes(shapes: GitHubShapes) {
  const user = (u: RestUser) => {
    const { user_view_type: _viewType, ...rest } = u;
    return rest;
  };

  const team = (t: RestTeam) => {
    const { type: _type, ...rest } = t;
    return rest;
  };

  /** The repository; a push's has its times as Unix seconds, and a few fields more. */
  const repository = (pushedAt: string, kind: 'push' | 'other' = 'other') => {
    const rest: RestRepository = shapes.repository(pushedAt);
    const base = { ...rest, owner: user(rest.owner), custom_properties: {} };
    if (kind !== 'push') return base;
    const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
    return {
      ...base,
      created_at: seconds(rest.created_at),
      pushed_at: seconds(pushedAt),
      stargazers: 0,
      master_branch: rest.default_branch,
      organization: rest.owner.login,
    };
  };

  /** organization (the webhook schema's, not a simple-user). */
  const organization = () => {
    const org = shapes.organization();
    const url = org.url.replace('/users/', '/orgs/');
    return {
      login: org.login,
      id: org.id,
      node_id: org.node_id,
      url,
      repos_url: `${url}/repos`,
      events_url: `${url}/events`,
      hooks_url: `${url}/hooks`,
      issues_url: `${url}/issues`,
      members_url: `${url}/members{/member}`,
      public_members_url: `${url}/public_members{/member}`,
      avatar_url: org.avatar_url,
      description: null,
    };
  };

  /** installation-lite: the portal's app installation every delivery names. */
  const installation = () => ({
    id: PORTAL_APP.installationId,
    node_id: nodeId('IntegrationInstallation', PORTAL_APP.installationId),
  });

  const branch = (b: RestPullRequestSimple['head'], pushedAt: string) => ({
    ...b,
    user: user(b.user),
    repo: repository(pushedAt),
  });

  /** simple-pull-request, as in pull_request_review events. */
  const simplePullRequest = (pr: RestPullRequestSimple, pushedAt: string) => ({
    ...pr,
    user: user(pr.user),
    requested_reviewers: pr.requested_reviewers.map(user),
    requested_teams: pr.requested_teams.map(team),
    head: branch(pr.head, pushedAt),
    base: branch(pr.base, pushedAt),
  });

  /** pull-request, as in pull_request events. */
  const pullRequest = (pr: RestPullRequest, pushedAt: string) => ({
    ...pr,
    ...simplePullRequest(pr, pushedAt),
    merged_by: pr.merged_by ? user(pr.merged_by) : null,
  });

  /** pull-request-review, its state in lower case. */
  const review = (r: RestReview) => ({
    id: r.id,
    node_id: r.node_id,
    user: user(r.user),
    body: r.body,
    commit_id: r.commit_id,
    submitted_at: 'submitted_at' in r ? r.submitted_at : null,
    state: r.state.toLowerCase(),
    html_url: r.html_url,
    pull_request_url: r.pull_request_url,
    author_association: r.author_association,
    _links: r._links,
  });

  /** A commit of a push event. */
  const pushCommit = (
    c: PushedCommit,
    usernameOf: (email: string) => string | undefined,
  ) => {
    const person = (p: GitCommitData['author']) => {
      const username = usernameOf(p.email);
      return {
        name: p.name,
        email: p.email,
        ...(username ? { username } : {}),
      };
    };
    return {
      id: c.sha,
      tree_id: c.commit.tree,
      distinct: true,
      message: c.commit.message.replace(/\n$/, ''),
      timestamp: isoSeconds(new Date(c.commit.committer.timestamp * 1000)),
      url: `${shapes.repoWeb()}/commit/${c.sha}`,
      author: person(c.commit.author),
      committer: person(c.commit.committer),
      added: c.added,
      removed: c.removed,
      modified: c.modified,
    };
  };

  /** A status event's commit: the REST commit, people who are no user null. */
  const statusCommit = (
    sha: string,
    data: GitCommitData,
    people: { author?: GitHubUser; committer?: GitHubUser },
  ) => {
    const rest = shapes.commit(sha, data, people);
    const { verified_at: _verifiedAt, ...verification } =
      rest.commit.verification;
    const person = (u?: GitHubUser) => (u ? user(shapes.simpleUser(u)) : null);
    return {
      ...rest,
      commit: { ...rest.commit, verification },
      author: person(people.author),
      committer: person(people.committer),
    };
  };

  return {
    user,
    team,
    repository,
    organization,
    installation,
    simplePullRequest,
    pullRequest,
    review,
    pushCommit,
    statusCommit,
  };
}

export type WebhookShapes = ReturnType<typeof createWebhookShapes>;
