import type { Octokit } from '@octokit/rest';
import { commitFiles } from '../testing/gitOpsChanges';
import {
  SandboxGitHub,
  startSandboxGitHub,
} from './__testUtils__/sandboxGitHub';

describe('commit statuses of the sandbox GitHub', () => {
  let t: SandboxGitHub['t'];
  let scientist: Octokit;
  let approver: Octokit;
  let repo: { owner: string; repo: string };
  let sha: string;

  beforeAll(async () => {
    const github = await startSandboxGitHub();
    ({ t, repo } = github);
    scientist = github.as('data-scientist');
    approver = github.as('approver');
    sha = await commitFiles(scientist, repo, 'statuses', {
      'notes/statuses.txt': 'statuses\n',
    });
  });
  afterAll(() => t.stop());

  const combined = async (ref = sha) =>
    (await scientist.repos.getCombinedStatusForRef({ ...repo, ref })).data;

  it('combines no statuses as pending', async () => {
    expect(await combined()).toMatchObject({
      state: 'pending',
      sha,
      total_count: 0,
      statuses: [],
    });
  });

  it('records the token’s user as the creator, and refuses a bad state or an unknown sha with 422', async () => {
    const { data } = await approver.repos.createCommitStatus({
      ...repo,
      sha,
      state: 'pending',
      context: 'ci/test',
    });
    expect(data.creator!.login).toBe('lena-fischer');
    expect(data.url).toBe(
      `${t.url}/api/v3/repos/${repo.owner}/${repo.repo}/statuses/${sha}`,
    );
    await expect(
      scientist.repos.createCommitStatus({
        ...repo,
        sha,
        state: 'skipped' as any,
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'Status',
              code: 'custom',
              field: 'state',
              message: 'state is not included in the list',
            },
          ],
        },
      },
    });
    const unknown = '0123456789'.repeat(4);
    await expect(
      scientist.repos.createCommitStatus({
        ...repo,
        sha: unknown,
        state: 'success',
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: `No commit found for SHA: ${unknown}` } },
    });
    const { data: list } = await scientist.repos.listCommitStatusesForRef({
      ...repo,
      ref: sha,
    });
    expect(list).toHaveLength(1);
  });

  it("combines each context's latest status: pending, failure, success", async () => {
    expect((await combined()).state).toBe('pending');
    const post = (
      context: string,
      state: 'error' | 'failure' | 'pending' | 'success',
    ) => scientist.repos.createCommitStatus({ ...repo, sha, context, state });
    await post('ci/test', 'success');
    expect(await combined()).toMatchObject({
      state: 'success',
      total_count: 1,
    });
    await post('ci/lint', 'error');
    expect((await combined()).state).toBe('failure');
    await post('ci/lint', 'pending');
    expect((await combined()).state).toBe('pending');
    await post('ci/lint', 'success');
    const latest = await combined('statuses');
    expect(latest).toMatchObject({ state: 'success', total_count: 2 });
    expect(latest.statuses.map(s => [s.context, s.state])).toEqual([
      ['ci/lint', 'success'],
      ['ci/test', 'success'],
    ]);
    const { data: all } = await scientist.repos.listCommitStatusesForRef({
      ...repo,
      ref: 'statuses',
    });
    expect(all.map(s => `${s.context}:${s.state}`)).toEqual([
      'ci/lint:success',
      'ci/lint:pending',
      'ci/lint:error',
      'ci/test:success',
      'ci/test:pending',
    ]);
  });
});
