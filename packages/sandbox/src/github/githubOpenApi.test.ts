import crypto from 'node:crypto';
import fs from 'node:fs';
import { Octokit } from '@octokit/rest';
import { SignJWT } from 'jose';
import { startTestSandbox } from '../testing/startTestSandbox';
import { commitFiles, postPortalApproval } from '../testing/gitOpsChanges';
import { createGitHubRestRouter } from './GitHubRestRouter';
import {
  CheckedResponse,
  DESCRIPTION,
  GitHubOpenApi,
  parseLinkHeader,
} from './__testUtils__/gitHubOpenApi';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

/** Every route the sandbox's GitHub router serves, as `METHOD /express/path`. */
function servedRoutes(): Array<{ method: string; path: string }> {
  const router = createGitHubRestRouter({
    owner: 'o',
    repo: 'r',
    repository: {} as any,
    users: [],
    teams: {},
    pulls: {} as any,
    statuses: {} as any,
    deliverer: {} as any,
    authentication: {} as any,
    installationTokens: {} as any,
    stats: {} as any,
    baseUrl: () => '',
  }) as unknown as { stack: any[] };
  return router.stack
    .filter((layer: any) => layer.route)
    .flatMap((layer: any) =>
      Object.keys(layer.route.methods).map(method => ({
        method: method.toUpperCase(),
        path: layer.route.path as string,
      })),
    );
}

describe(`the sandbox's GitHub against GitHub's published description (${DESCRIPTION})`, () => {
  let t: TestSandbox;
  let openApi: GitHubOpenApi;
  let repo: { owner: string; repo: string };
  let scientist: Octokit;
  let approver: Octokit;
  let problems: string[] = [];
  const seen: CheckedResponse[] = [];

  /** An Octokit whose every response (errors included) is checked against the description. */
  const client = (baseUrl: string, token: string) => {
    const octokit = new Octokit({ baseUrl, auth: token });
    const check = (
      options: any,
      status: number,
      data: unknown,
      headers: any,
    ) => {
      const response: CheckedResponse = {
        method: options.method,
        // Octokit follows a Link with its absolute URL rather than a template.
        template: /^https?:/.test(options.url)
          ? openApi.templateForUrl(options.method, options.url, baseUrl)
          : options.url,
        status,
        body: data === '' ? undefined : data,
        headers,
      };
      seen.push(response);
      problems.push(...openApi.check(response));
    };
    octokit.hook.wrap('request', async (request, options) => {
      try {
        const response = await request(options);
        check(options, response.status, response.data, response.headers);
        return response;
      } catch (error: any) {
        if (error.response)
          check(
            options,
            error.status,
            error.response.data,
            error.response.headers,
          );
        throw error;
      }
    });
    return octokit;
  };

  /** Every item of a paginated list, Octokit following the `Link` header's next page. */
  const paginate = async <T>(route: string, params: Record<string, unknown>) =>
    (await scientist.paginate(route, params)) as T[];

  const expectValid = () => {
    const found = problems;
    problems = [];
    expect(found).toEqual([]);
  };

  beforeAll(async () => {
    openApi = GitHubOpenApi.load();
    t = await startTestSandbox();
    const { github } = await t.admin('GET', '/endpoints');
    const token = (role: string) =>
      github.users.find((u: { role: string }) => u.role === role).token;
    scientist = client(github.apiBaseUrl, token('data-scientist'));
    approver = client(github.apiBaseUrl, token('approver'));
    repo = { owner: github.owner, repo: github.repo };
  }, 60_000);
  afterAll(() => t?.stop());

  it('serves the authenticated user, their emails and the repository', async () => {
    await scientist.users.getAuthenticated();
    await scientist.users.listEmailsForAuthenticatedUser();
    await expect(
      client(`${t.url}/api/v3`, 'ghp_not_a_token').users.getAuthenticated(),
    ).rejects.toMatchObject({ status: 401 });
    const { data } = await scientist.repos.get(repo);
    expect(data.archive_url).toBe(
      `${t.url}/api/v3/repos/${repo.owner}/${repo.repo}/{archive_format}{/ref}`,
    );
    await expect(
      scientist.repos.get({ owner: 'someone-else', repo: 'secret' }),
    ).rejects.toMatchObject({ status: 404 });
    expectValid();
  });

  it('serves refs, blobs, trees, commits, branches and contents', async () => {
    const main = (await scientist.git.getRef({ ...repo, ref: 'heads/main' }))
      .data.object.sha;
    await expect(
      scientist.git.getRef({ ...repo, ref: 'heads/no-such-branch' }),
    ).rejects.toMatchObject({ status: 404 });
    const blob = await scientist.git.createBlob({
      ...repo,
      content: 'hello\n',
    });
    await scientist.git.getBlob({ ...repo, file_sha: blob.data.sha });
    await expect(
      scientist.git.getBlob({ ...repo, file_sha: '0'.repeat(40) }),
    ).rejects.toMatchObject({ status: 404 });
    const commit = await scientist.git.getCommit({ ...repo, commit_sha: main });
    await expect(
      scientist.git.getCommit({ ...repo, commit_sha: '0'.repeat(40) }),
    ).rejects.toMatchObject({ status: 404 });
    const tree = await scientist.git.createTree({
      ...repo,
      base_tree: commit.data.tree.sha,
      tree: [
        {
          path: 'notes/hello.txt',
          mode: '100644',
          type: 'blob',
          sha: blob.data.sha,
        },
      ],
    });
    await scientist.git.getTree({
      ...repo,
      tree_sha: tree.data.sha,
      recursive: '1',
    });
    await expect(
      scientist.git.createTree({ ...repo, tree: 'nope' as any }),
    ).rejects.toMatchObject({ status: 422 });
    const created = await scientist.git.createCommit({
      ...repo,
      message: 'Add a note',
      tree: tree.data.sha,
      parents: [main],
    });
    await scientist.git.createRef({
      ...repo,
      ref: 'refs/heads/notes',
      sha: main,
    });
    await expect(
      scientist.git.createRef({ ...repo, ref: 'refs/heads/notes', sha: main }),
    ).rejects.toMatchObject({ status: 422 });
    await scientist.git.updateRef({
      ...repo,
      ref: 'heads/notes',
      sha: created.data.sha,
    });
    await expect(
      scientist.git.updateRef({ ...repo, ref: 'heads/notes', sha: main }),
    ).rejects.toMatchObject({ status: 422 });
    await scientist.git.listMatchingRefs({ ...repo, ref: 'heads/' });
    await scientist.repos.getBranch({ ...repo, branch: 'main' });
    await scientist.repos.getBranch({ ...repo, branch: 'notes' });
    await expect(
      scientist.repos.getBranch({ ...repo, branch: 'no-such-branch' }),
    ).rejects.toMatchObject({ status: 404 });
    await scientist.repos.getContent({ ...repo, path: 'infrastructure' });
    await scientist.repos.getContent({ ...repo, path: '' });
    await scientist.repos.getContent({ ...repo, path: 'CODEOWNERS' });
    await scientist.repos.getContent({
      ...repo,
      path: 'notes/hello.txt',
      ref: 'notes',
    });
    await expect(
      scientist.repos.getContent({ ...repo, path: 'no/such/file' }),
    ).rejects.toMatchObject({ status: 404 });
    await scientist.git.deleteRef({ ...repo, ref: 'heads/notes' });
    await expect(
      scientist.git.deleteRef({ ...repo, ref: 'heads/notes' }),
    ).rejects.toMatchObject({ status: 422 });
    expectValid();
  });

  it('deletes a file with a tree entry whose sha is null, and refuses to delete what is not there with 422', async () => {
    const main = await scientist.git.getCommit({
      ...repo,
      commit_sha: (
        await scientist.git.getRef({ ...repo, ref: 'heads/main' })
      ).data.object.sha,
    });
    const before = await scientist.git.getTree({
      ...repo,
      tree_sha: main.data.tree.sha,
      recursive: '1',
    });
    const path = 'gitops-delete-test/only.yaml';
    const added = await scientist.git.createTree({
      ...repo,
      base_tree: main.data.tree.sha,
      tree: [{ path, mode: '100644', type: 'blob', content: 'a: 1\n' }],
    });
    const deleted = await scientist.git.createTree({
      ...repo,
      base_tree: added.data.sha,
      tree: [{ path, mode: '100644', type: 'blob', sha: null }],
    });
    const after = await scientist.git.getTree({
      ...repo,
      tree_sha: deleted.data.sha,
      recursive: '1',
    });
    // The file and the folder it left empty are gone; the rest is the base's, byte for byte.
    expect(deleted.data.sha).toBe(main.data.tree.sha);
    expect(after.data.tree.map(e => e.path)).toEqual(
      before.data.tree.map(e => e.path),
    );
    for (const missing of [path, 'CODEOWNERS/nope.yaml', 'no-such-file.yaml'])
      await expect(
        scientist.git.createTree({
          ...repo,
          base_tree: main.data.tree.sha,
          tree: [{ path: missing, mode: '100644', type: 'blob', sha: null }],
        }),
      ).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('GitRPC::BadObjectState'),
      });
    await expect(
      scientist.git.createTree({
        ...repo,
        base_tree: main.data.tree.sha,
        tree: [
          { path, mode: '100644', type: 'blob', sha: null, content: 'x' },
        ] as any,
      }),
    ).rejects.toMatchObject({ status: 422 });
    expectValid();
  });

  it('paginates matching refs with GitHub Link headers', async () => {
    for (const name of ['page/a', 'page/b', 'page/c'])
      await commitFiles(scientist, repo, name, {
        [`${name}.txt`]: `${name}\n`,
      });
    const first = await scientist.git.listMatchingRefs({
      ...repo,
      ref: 'heads/page/',
      per_page: 2,
    });
    expect(first.data.map(r => r.ref)).toEqual([
      'refs/heads/page/a',
      'refs/heads/page/b',
    ]);
    const links = parseLinkHeader(first.headers.link!);
    expect([...links.keys()]).toEqual(['next', 'last']);
    expect(links.get('next')!.origin).toBe(t.url);
    expect(links.get('next')!.searchParams.get('page')).toBe('2');
    const all = await paginate<{ ref: string }>(
      'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
      {
        ...repo,
        ref: 'heads/page/',
        per_page: 1,
      },
    );
    expect(all.map(r => r.ref)).toEqual([
      'refs/heads/page/a',
      'refs/heads/page/b',
      'refs/heads/page/c',
    ]);
    expectValid();
  });

  it('serves pull requests with _links, figures and files with real patches', async () => {
    const values = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`);
    await commitFiles(scientist, repo, 'shapes/base', {
      'models/shapes.txt': `${values.join('\n')}\n`,
    });
    const basePr = await scientist.pulls.create({
      ...repo,
      title: 'Add shapes',
      head: 'shapes/base',
      base: 'main',
    });
    expect(basePr.status).toBe(201);
    expect(basePr.data._links.self.href).toBe(basePr.data.url);
    expect(basePr.data._links.html.href).toBe(basePr.data.html_url);
    expect(basePr.data).toMatchObject({
      additions: 12,
      deletions: 0,
      changed_files: 1,
      commits: 1,
    });
    await expect(
      scientist.pulls.create({
        ...repo,
        title: 'Again',
        head: 'shapes/base',
        base: 'main',
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      scientist.pulls.merge({ ...repo, pull_number: basePr.data.number }),
    ).rejects.toMatchObject({ status: 405 });
    await approver.pulls.createReview({
      ...repo,
      pull_number: basePr.data.number,
      event: 'APPROVE',
    });
    await postPortalApproval(scientist, repo, basePr.data.head.sha);
    await approver.pulls.merge({ ...repo, pull_number: basePr.data.number });
    await scientist.pulls.checkIfMerged({
      ...repo,
      pull_number: basePr.data.number,
    });

    const edited = [...values];
    edited[5] = 'line six';
    edited.splice(10, 1);
    const headSha = await commitFiles(scientist, repo, 'shapes/edit', {
      'models/shapes.txt': `${edited.join('\n')}\n`,
      'models/other.txt': 'other\n',
    });
    const pr = await scientist.pulls.create({
      ...repo,
      title: 'Edit shapes',
      head: 'shapes/edit',
      base: 'main',
      body: 'Edits',
    });
    expect(pr.data).toMatchObject({
      additions: 2,
      deletions: 2,
      changed_files: 2,
      commits: 1,
      head: { sha: headSha },
    });
    await expect(
      scientist.pulls.checkIfMerged({ ...repo, pull_number: pr.data.number }),
    ).rejects.toMatchObject({ status: 404 });

    const files = await scientist.pulls.listFiles({
      ...repo,
      pull_number: pr.data.number,
    });
    expect(
      files.data.map(f => [
        f.filename,
        f.status,
        f.additions,
        f.deletions,
        f.changes,
      ]),
    ).toEqual([
      ['models/other.txt', 'added', 1, 0, 1],
      ['models/shapes.txt', 'modified', 1, 2, 3],
    ]);
    expect(files.data[0].patch).toBe('@@ -0,0 +1 @@\n+other');
    const second = await scientist.pulls.listFiles({
      ...repo,
      pull_number: pr.data.number,
      per_page: 1,
      page: 2,
    });
    expect([...parseLinkHeader(second.headers.link!).keys()]).toEqual([
      'prev',
      'first',
    ]);
    expect(second.data.map(f => f.patch)).toEqual([
      [
        '@@ -3,10 +3,9 @@ line 2',
        ' line 3',
        ' line 4',
        ' line 5',
        '-line 6',
        '+line six',
        ' line 7',
        ' line 8',
        ' line 9',
        ' line 10',
        '-line 11',
        ' line 12',
      ].join('\n'),
    ]);

    await expect(
      scientist.pulls.get({ ...repo, pull_number: 9999 }),
    ).rejects.toMatchObject({ status: 404 });
    await scientist.pulls.update({
      ...repo,
      pull_number: pr.data.number,
      state: 'closed',
    });
    const reopened = await scientist.pulls.update({
      ...repo,
      pull_number: pr.data.number,
      state: 'open',
    });
    expect(reopened.data.state).toBe('open');
    await expect(
      scientist.pulls.update({
        ...repo,
        pull_number: pr.data.number,
        state: 'bogus' as any,
      }),
    ).rejects.toMatchObject({ status: 422 });
    const merged = await scientist.pulls.get({
      ...repo,
      pull_number: basePr.data.number,
    });
    expect(merged.data).toMatchObject({
      merged: true,
      additions: 12,
      changed_files: 1,
    });
    expectValid();
  }, 30_000);

  it('paginates pull requests, reviews and labels', async () => {
    const first = await scientist.pulls.list({
      ...repo,
      state: 'all',
      per_page: 1,
    });
    expect([...parseLinkHeader(first.headers.link!).keys()]).toEqual([
      'next',
      'last',
    ]);
    const last = await scientist.pulls.list({
      ...repo,
      state: 'all',
      per_page: 1,
      page: 2,
    });
    expect([...parseLinkHeader(last.headers.link!).keys()]).toEqual([
      'prev',
      'first',
    ]);
    const all = await paginate<{ number: number }>(
      'GET /repos/{owner}/{repo}/pulls',
      {
        ...repo,
        state: 'all',
        per_page: 1,
      },
    );
    const direct = await scientist.pulls.list({
      ...repo,
      state: 'all',
      per_page: 100,
    });
    expect(all.map(p => p.number)).toEqual(direct.data.map(p => p.number));
    expect(all).toHaveLength(2);

    const number = direct.data.find(p => p.state === 'open')!.number;
    await scientist.issues.addLabels({
      ...repo,
      issue_number: number,
      labels: ['a', 'b', 'c'],
    });
    const labels = await scientist.issues.listLabelsOnIssue({
      ...repo,
      issue_number: number,
      per_page: 2,
    });
    expect(labels.data.map(l => l.name)).toEqual(['a', 'b']);
    expect(parseLinkHeader(labels.headers.link!).has('next')).toBe(true);
    await expect(
      scientist.issues.addLabels({
        ...repo,
        issue_number: number,
        labels: [''],
      }),
    ).rejects.toMatchObject({ status: 422 });

    await approver.pulls.createReview({
      ...repo,
      pull_number: number,
      event: 'COMMENT',
      body: 'One',
    });
    await approver.pulls.createReview({
      ...repo,
      pull_number: number,
      event: 'REQUEST_CHANGES',
      body: 'Two',
    });
    await expect(
      scientist.pulls.createReview({
        ...repo,
        pull_number: number,
        event: 'APPROVE',
      }),
    ).rejects.toMatchObject({ status: 422 });
    const reviews = await paginate<{ state: string }>(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      {
        ...repo,
        pull_number: number,
        per_page: 1,
      },
    );
    expect(reviews.map(r => r.state)).toEqual([
      'COMMENTED',
      'CHANGES_REQUESTED',
    ]);
    expectValid();
  });

  it('serves reviewer requests, commit statuses and check runs', async () => {
    const { data: pulls } = await scientist.pulls.list({
      ...repo,
      state: 'open',
    });
    const number = pulls[0].number;
    await scientist.pulls.requestReviewers({
      ...repo,
      pull_number: number,
      reviewers: ['raj-patel'],
      team_reviewers: ['platform-team'],
    });
    const requested = await scientist.pulls.listRequestedReviewers({
      ...repo,
      pull_number: number,
    });
    expect(requested.data.teams.map(team => team.slug)).toEqual([
      'platform-team',
    ]);
    await scientist.pulls.removeRequestedReviewers({
      ...repo,
      pull_number: number,
      reviewers: ['raj-patel'],
    });
    await expect(
      scientist.pulls.requestReviewers({
        ...repo,
        pull_number: number,
        reviewers: ['maya-chen'],
      }),
    ).rejects.toMatchObject({ status: 422 });
    await scientist.repos.getCombinedStatusForRef({ ...repo, ref: 'main' });
    await scientist.checks.listForRef({ ...repo, ref: 'main' });
    expectValid();
  });

  it('serves commit statuses: created, listed newest first with Link pages, combined', async () => {
    const { data: pulls } = await scientist.pulls.list({
      ...repo,
      state: 'open',
    });
    const sha = pulls[0].head.sha;
    for (const [context, state] of [
      ['ci/lint', 'pending'],
      ['ci/lint', 'success'],
      ['ci/test', 'success'],
    ] as const) {
      const created = await scientist.repos.createCommitStatus({
        ...repo,
        sha,
        state,
        context,
        target_url: `${t.url}/ci/${context}`,
        description: `${context} ${state}`,
      });
      expect(created.status).toBe(201);
      expect(created.data.creator!.login).toBe('maya-chen');
    }
    const defaulted = await scientist.repos.createCommitStatus({
      ...repo,
      sha,
      state: 'failure',
    });
    expect(defaulted.data).toMatchObject({
      context: 'default',
      description: null,
      target_url: null,
    });
    const first = await scientist.repos.listCommitStatusesForRef({
      ...repo,
      ref: sha,
      per_page: 2,
    });
    expect(first.data.map(s => [s.context, s.state])).toEqual([
      ['default', 'failure'],
      ['ci/test', 'success'],
    ]);
    expect([...parseLinkHeader(first.headers.link!).keys()]).toEqual([
      'next',
      'last',
    ]);
    const all = await paginate<{ id: number }>(
      'GET /repos/{owner}/{repo}/commits/{ref}/statuses',
      { ...repo, ref: pulls[0].head.ref, per_page: 1 },
    );
    expect(all).toHaveLength(4);
    const combined = await scientist.repos.getCombinedStatusForRef({
      ...repo,
      ref: sha,
    });
    expect(combined.data).toMatchObject({ state: 'failure', total_count: 3 });
    expect(combined.data.statuses.map(s => [s.context, s.state])).toEqual([
      ['default', 'failure'],
      ['ci/test', 'success'],
      ['ci/lint', 'success'],
    ]);
    await expect(
      scientist.repos.getCombinedStatusForRef({ ...repo, ref: 'no-such-ref' }),
    ).rejects.toMatchObject({ status: 404 });
    expectValid();
  });

  it("serves main's protection and its required status checks", async () => {
    const { data: protection } = await scientist.repos.getBranchProtection({
      ...repo,
      branch: 'main',
    });
    expect(protection.required_status_checks).toMatchObject({
      contexts: ['omnivision/approval'],
      checks: [{ context: 'omnivision/approval', app_id: 3001 }],
    });
    expect(protection.required_pull_request_reviews).toMatchObject({
      require_code_owner_reviews: true,
      dismiss_stale_reviews: true,
      required_approving_review_count: 1,
    });
    const { data: checks } = await scientist.repos.getStatusChecksProtection({
      ...repo,
      branch: 'main',
    });
    expect(checks.checks).toEqual(protection.required_status_checks!.checks);
    const { data: branch } = await scientist.repos.getBranch({
      ...repo,
      branch: 'main',
    });
    expect(branch.protection.required_status_checks).toMatchObject({
      contexts: ['omnivision/approval'],
    });
    const { data: pulls } = await scientist.pulls.list({ ...repo });
    for (const request of [
      () =>
        scientist.repos.getBranchProtection({
          ...repo,
          branch: pulls[0].head.ref,
        }),
      () =>
        scientist.repos.getStatusChecksProtection({
          ...repo,
          branch: pulls[0].head.ref,
        }),
    ]) {
      await expect(request()).rejects.toMatchObject({
        status: 404,
        response: { data: { message: 'Branch not protected' } },
      });
    }
    expectValid();
  });

  it('serves the GitHub App to its JWT: the app, its installation, installation tokens', async () => {
    const { github } = await t.admin('GET', '/endpoints');
    const { app } = github;
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({
      iat: now - 30,
      exp: now + 570,
      iss: app.appId,
    })
      .setProtectedHeader({ alg: 'RS256' })
      .sign(crypto.createPrivateKey(fs.readFileSync(app.privateKeyFile)));
    const asApp = client(github.apiBaseUrl, jwt);
    const installation_id = app.installationId;

    const { data: integration } = await asApp.apps.getAuthenticated();
    expect(integration).toMatchObject({
      id: 3001,
      slug: 'omnivision-portal',
      client_id: app.clientId,
      owner: { login: repo.owner, type: 'Organization' },
    });
    const { data: installations } = await asApp.apps.listInstallations();
    expect(installations).toMatchObject([
      {
        id: installation_id,
        app_id: 3001,
        account: { login: repo.owner },
        repository_selection: 'all',
        suspended_by: null,
      },
    ]);
    await asApp.apps.getInstallation({ installation_id });
    await expect(
      asApp.apps.getInstallation({ installation_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
    await asApp.apps.getRepoInstallation(repo);
    await asApp.apps.getOrgInstallation({ org: repo.owner });

    const before = Date.now();
    const { status, data: token } =
      await asApp.apps.createInstallationAccessToken({ installation_id });
    expect(status).toBe(201);
    expect(token).toEqual({
      token: expect.stringMatching(/^ghs_[A-Za-z0-9]{36}$/),
      expires_at: expect.any(String),
      permissions: installations[0].permissions,
      repository_selection: 'all',
    });
    const lifetime = Date.parse(token.expires_at) - before;
    expect(lifetime).toBeGreaterThan(59 * 60 * 1000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60 * 1000);
    const { data: narrowed } = await asApp.apps.createInstallationAccessToken({
      installation_id,
      repositories: [repo.repo],
      permissions: { contents: 'read', statuses: 'write' },
    });
    expect(narrowed).toMatchObject({
      permissions: { contents: 'read', statuses: 'write' },
      repository_selection: 'selected',
      repositories: [{ full_name: `${repo.owner}/${repo.repo}` }],
    });
    for (const refused of [
      { permissions: { administration: 'write' } },
      { permissions: { metadata: 'write' } },
      { repositories: ['another-repo'] },
    ])
      await expect(
        asApp.apps.createInstallationAccessToken({
          installation_id,
          ...(refused as object),
        }),
      ).rejects.toMatchObject({ status: 422 });
    await expect(
      asApp.apps.createInstallationAccessToken({ installation_id: 1 }),
    ).rejects.toMatchObject({ status: 404 });
    // Not the app's JWT: a person's token, an installation's.
    for (const other of [scientist, client(github.apiBaseUrl, token.token)])
      await expect(
        other.apps.createInstallationAccessToken({ installation_id }),
      ).rejects.toMatchObject({
        status: 401,
        response: {
          data: { message: 'A JSON web token could not be decoded' },
        },
      });

    // The token acts as the app's bot: its statuses are the app's.
    const asInstallation = client(github.apiBaseUrl, token.token);
    const main = (
      await asInstallation.git.getRef({ ...repo, ref: 'heads/main' })
    ).data.object.sha;
    const { data: posted } = await asInstallation.repos.createCommitStatus({
      ...repo,
      sha: main,
      state: 'pending',
      context: 'omnivision/approval-check',
    });
    expect(posted.creator).toMatchObject({
      login: 'omnivision-portal[bot]',
      type: 'Bot',
      html_url: `${t.url}/apps/omnivision-portal`,
    });
    expectValid();
  });

  it('finds a response missing a required field invalid', () => {
    const pull = seen.find(
      r =>
        r.template === '/repos/{owner}/{repo}/pulls/{pull_number}' &&
        r.status === 200,
    )!;
    const { _links, ...withoutLinks } = pull.body as Record<string, unknown>;
    expect(_links).toBeDefined();
    expect(openApi.check({ ...pull, body: withoutLinks })).toEqual([
      expect.stringContaining("must have required property '_links'"),
    ]);
    const files = seen.find(r => r.template.endsWith('/files'))!;
    const broken = (files.body as Array<Record<string, unknown>>).map(f => ({
      ...f,
      additions: '1',
    }));
    expect(openApi.check({ ...files, body: broken }).length).toBeGreaterThan(0);
    expect(
      openApi.check({
        ...files,
        headers: { link: '</relative?page=2>; rel="next"' },
      }),
    ).toEqual([expect.stringContaining('Link')]);
  });

  it('has checked every route the router serves', () => {
    const routes = servedRoutes();
    expect(routes.length).toBeGreaterThan(25);
    const unchecked = routes
      .map(r => ({ ...r, template: openApi.templateOf(r.method, r.path) }))
      .filter(
        r => !r.template || !openApi.covered.has(`${r.method} ${r.template}`),
      )
      .map(
        r =>
          `${r.method} ${r.path} (${r.template ?? 'not in the description'})`,
      );
    expect(unchecked).toEqual([]);
    const paginated = seen.filter(
      r => r.headers.link && openApi.paginates(r.method, r.template),
    );
    expect(new Set(paginated.map(r => r.template))).toEqual(
      new Set([
        '/repos/{owner}/{repo}/git/matching-refs/{ref}',
        '/repos/{owner}/{repo}/pulls',
        '/repos/{owner}/{repo}/pulls/{pull_number}/files',
        '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
        '/repos/{owner}/{repo}/issues/{issue_number}/labels',
        '/repos/{owner}/{repo}/commits/{ref}/statuses',
      ]),
    );
  });
});
