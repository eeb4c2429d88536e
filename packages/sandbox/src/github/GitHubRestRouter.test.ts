import { Octokit } from '@octokit/rest';
import { parse } from 'yaml';
import { startTestSandbox } from '../testing/startTestSandbox';

type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

describe('the sandbox GitHub REST API, driven by @octokit/rest', () => {
  let t: TestSandbox;
  let github: {
    apiBaseUrl: string;
    owner: string;
    repo: string;
    users: Array<{ login: string; role: string; token: string }>;
  };
  let octokit: Octokit;
  let repo: { owner: string; repo: string };

  beforeAll(async () => {
    t = await startTestSandbox();
    github = (await t.admin('GET', '/endpoints')).github;
    const scientist = github.users.find(u => u.role === 'data-scientist')!;
    octokit = new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: scientist.token,
    });
    repo = { owner: github.owner, repo: github.repo };
  });
  afterAll(() => t.stop());

  it('names data scientists, approvers and a person in both teams, with their tokens', () => {
    expect(new Set(github.users.map(u => u.role))).toEqual(
      new Set(['data-scientist', 'approver', 'both']),
    );
    expect(github.users.find(u => u.role === 'both')).toEqual({
      login: 'sam-okafor',
      role: 'both',
      token: 'ghp_sandbox_sam_okafor',
    });
  });

  it('answers /user for a valid token and 401 Bad credentials otherwise', async () => {
    const { data } = await octokit.users.getAuthenticated();
    expect(data.login).toBe('maya-chen');
    const stranger = new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: 'ghp_not_a_token',
    });
    await expect(stranger.users.getAuthenticated()).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Bad credentials' } },
    });
  });

  it('answers 404 for a repository the token cannot see', async () => {
    await expect(
      octokit.repos.get({ owner: 'someone-else', repo: 'secret' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('serves the seeded omnivision-gitops layout on main', async () => {
    const { data } = await octokit.repos.getContent({
      ...repo,
      path: 'infrastructure',
      ref: 'main',
    });
    expect((data as Array<{ name: string }>).map(d => d.name).sort()).toEqual([
      'cluster-aws',
      'cluster-gcp',
    ]);
    const values = await octokit.repos.getContent({
      ...repo,
      path: 'infrastructure/cluster-gcp/values-overrides.yaml',
    });
    const file = values.data as { content: string };
    expect(
      parse(Buffer.from(file.content, 'base64').toString('utf8')).global
        .cloudProvider,
    ).toBe('gcp');
    const owners = await octokit.repos.getContent({
      ...repo,
      path: 'CODEOWNERS',
    });
    expect(
      Buffer.from(
        (owners.data as { content: string }).content,
        'base64',
      ).toString(),
    ).toContain('@omnivision-ai/platform-team');
  });

  it('answers a branch with its tip commit and tree in one call, and 404 for an unknown one', async () => {
    const main = await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    const tip = await octokit.git.getCommit({
      ...repo,
      commit_sha: main.data.object.sha,
    });
    const branch = await octokit.repos.getBranch({ ...repo, branch: 'main' });
    expect(branch.data.commit.sha).toBe(main.data.object.sha);
    expect(branch.data.commit.commit.tree.sha).toBe(tip.data.tree.sha);
    expect(branch.data.protected).toBe(true);
    await expect(
      octokit.repos.getBranch({ ...repo, branch: 'no/such-branch' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('commits files to a new branch through the Git Data API, with contents inline in the tree', async () => {
    const main = await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    const base = await octokit.git.getCommit({
      ...repo,
      commit_sha: main.data.object.sha,
    });
    const tree = await octokit.git.createTree({
      ...repo,
      base_tree: base.data.tree.sha,
      tree: [
        {
          path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
          mode: '100644',
          type: 'blob',
          content: 'model: vidgen-xl\n',
        },
        {
          path: 'infrastructure/cluster-gcp/models/vidgen-xl.yaml',
          mode: '100644',
          type: 'blob',
          content: 'model: vidgen-xl\n',
        },
      ],
    });
    const commit = await octokit.git.createCommit({
      ...repo,
      message: 'Deploy vidgen-xl',
      tree: tree.data.sha,
      parents: [main.data.object.sha],
    });
    expect(commit.data.parents.map(p => p.sha)).toEqual([main.data.object.sha]);
    const ref = await octokit.git.createRef({
      ...repo,
      ref: 'refs/heads/deploy/vidgen-xl',
      sha: commit.data.sha,
    });
    expect(ref.status).toBe(201);

    const full = await octokit.git.getTree({
      ...repo,
      tree_sha: commit.data.sha,
      recursive: 'true',
    });
    const paths = full.data.tree.map(e => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'CODEOWNERS',
        'infrastructure/cluster-aws/values-overrides.yaml',
        'infrastructure/cluster-aws/models/vidgen-xl.yaml',
      ]),
    );
    const onBranch = await octokit.repos.getContent({
      ...repo,
      path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
      ref: 'deploy/vidgen-xl',
    });
    expect(
      Buffer.from(
        (onBranch.data as { content: string }).content,
        'base64',
      ).toString(),
    ).toBe('model: vidgen-xl\n');
    // main is untouched.
    await expect(
      octokit.repos.getContent({
        ...repo,
        path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('answers 422 Reference already exists for an existing branch, and leaves it as it was', async () => {
    const main = await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    await octokit.git.createRef({
      ...repo,
      ref: 'refs/heads/someone-elses-branch',
      sha: main.data.object.sha,
    });
    const other = await octokit.git.createCommit({
      ...repo,
      message: 'other',
      tree: (
        await octokit.git.getCommit({
          ...repo,
          commit_sha: main.data.object.sha,
        })
      ).data.tree.sha,
      parents: [main.data.object.sha],
    });
    await expect(
      octokit.git.createRef({
        ...repo,
        ref: 'refs/heads/someone-elses-branch',
        sha: other.data.sha,
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Reference already exists' } },
    });
    const after = await octokit.git.getRef({
      ...repo,
      ref: 'heads/someone-elses-branch',
    });
    expect(after.data.object.sha).toBe(main.data.object.sha);
  });

  it('refuses a non-fast-forward ref update unless forced', async () => {
    const main = await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    const treeSha = (
      await octokit.git.getCommit({ ...repo, commit_sha: main.data.object.sha })
    ).data.tree.sha;
    const a = await octokit.git.createCommit({
      ...repo,
      message: 'a',
      tree: treeSha,
      parents: [main.data.object.sha],
    });
    const b = await octokit.git.createCommit({
      ...repo,
      message: 'b',
      tree: treeSha,
      parents: [main.data.object.sha],
    });
    await octokit.git.createRef({
      ...repo,
      ref: 'refs/heads/ff-test',
      sha: a.data.sha,
    });
    await expect(
      octokit.git.updateRef({ ...repo, ref: 'heads/ff-test', sha: b.data.sha }),
    ).rejects.toMatchObject({ status: 422 });
    await octokit.git.updateRef({
      ...repo,
      ref: 'heads/ff-test',
      sha: b.data.sha,
      force: true,
    });
    expect(
      (await octokit.git.getRef({ ...repo, ref: 'heads/ff-test' })).data.object
        .sha,
    ).toBe(b.data.sha);
  });

  it('rejects a malformed tree path, an unknown parent and a bad ref name with 422', async () => {
    await expect(
      octokit.git.createTree({
        ...repo,
        tree: [
          {
            path: '../escape.yaml',
            mode: '100644',
            type: 'blob',
            content: 'x',
          },
        ],
      }),
    ).rejects.toMatchObject({ status: 422 });
    const tree = await octokit.git.createTree({
      ...repo,
      tree: [{ path: 'a.yaml', mode: '100644', type: 'blob', content: 'x' }],
    });
    await expect(
      octokit.git.createCommit({
        ...repo,
        message: 'm',
        tree: tree.data.sha,
        parents: ['0'.repeat(40)],
      }),
    ).rejects.toMatchObject({ status: 422 });
    const main = await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    await expect(
      octokit.git.createRef({
        ...repo,
        ref: 'refs/heads/bad..name',
        sha: main.data.object.sha,
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('counts every call per user and per endpoint', async () => {
    await t.admin('DELETE', '/stats');
    await octokit.users.getAuthenticated();
    await octokit.git.getRef({ ...repo, ref: 'heads/main' });
    const stats = await t.admin('GET', '/stats');
    expect(stats.github.total).toBe(2);
    expect(stats.github.byToken).toEqual({ 'maya-chen': 2 });
    expect(
      stats.github.byEndpoint['GET /repos/{owner}/{repo}/git/ref/{ref}'],
    ).toBe(1);
  });
});
