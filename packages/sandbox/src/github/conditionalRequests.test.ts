import type { Octokit } from '@octokit/rest';
import { commitFiles } from '../testing/gitOpsChanges';
import {
  SandboxGitHub,
  startSandboxGitHub,
} from './__testUtils__/sandboxGitHub';

// Commits through the sandbox GitHub take seconds on a busy machine.
jest.setTimeout(60_000);

describe('conditional requests to the sandbox GitHub', () => {
  let t: SandboxGitHub['t'];
  let scientist: Octokit;
  let approver: Octokit;
  let repo: { owner: string; repo: string };

  beforeAll(async () => {
    const github = await startSandboxGitHub();
    ({ t, repo } = github);
    scientist = github.as('data-scientist');
    approver = github.as('approver');
  });
  afterAll(() => t.stop());

  it('answers a GET with a quoted ETag, and 304 with no body while it still matches', async () => {
    await commitFiles(scientist, repo, 'deploy/etag', {
      'notes/etag.txt': 'one\n',
    });
    const { data: pr } = await scientist.pulls.create({
      ...repo,
      title: 'ETags',
      head: 'deploy/etag',
      base: 'main',
    });
    const first = await scientist.pulls.get({
      ...repo,
      pull_number: pr.number,
    });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(
      (await approver.pulls.get({ ...repo, pull_number: pr.number })).headers
        .etag,
    ).toBe(etag);

    // Octokit surfaces a 304 as a RequestError with status 304.
    const notModified = await scientist.pulls
      .get({
        ...repo,
        pull_number: pr.number,
        headers: { 'if-none-match': etag },
      })
      .catch(error => error);
    expect(notModified).toMatchObject({
      name: 'HttpError',
      status: 304,
      response: { headers: { etag } },
    });
    expect(notModified.response.data).toBeFalsy();
    // Weak and listed tags match too, as HTTP compares them for If-None-Match.
    await expect(
      scientist.pulls.get({
        ...repo,
        pull_number: pr.number,
        headers: { 'if-none-match': `"other", W/${etag}` },
      }),
    ).rejects.toMatchObject({ status: 304 });

    await scientist.pulls.update({
      ...repo,
      pull_number: pr.number,
      title: 'ETags, renamed',
    });
    const changed = await scientist.pulls.get({
      ...repo,
      pull_number: pr.number,
      headers: { 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.data.title).toBe('ETags, renamed');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('gives an ETag to lists and contents, not to errors or writes', async () => {
    const list = await scientist.pulls.list({ ...repo, state: 'all' });
    await expect(
      scientist.pulls.list({
        ...repo,
        state: 'all',
        headers: { 'if-none-match': list.headers.etag! },
      }),
    ).rejects.toMatchObject({ status: 304 });
    const file = await scientist.repos.getContent({
      ...repo,
      path: 'CODEOWNERS',
    });
    expect(file.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    const missing = await scientist.repos
      .getContent({ ...repo, path: 'no/such/file' })
      .catch(error => error);
    expect(missing.status).toBe(404);
    const status = await scientist.repos.createCommitStatus({
      ...repo,
      sha: list.data[0].head.sha,
      state: 'pending',
    });
    expect(status.headers.etag).toBeUndefined();
  });

  it('counts 304s apart in /sandbox/stats, by token and endpoint, outside the other counts', async () => {
    await t.admin('DELETE', '/stats');
    const { headers } = await scientist.repos.get(repo);
    for (let i = 0; i < 3; i++)
      await expect(
        scientist.repos.get({
          ...repo,
          headers: { 'if-none-match': headers.etag! },
        }),
      ).rejects.toMatchObject({ status: 304 });
    await expect(
      approver.repos.get({
        ...repo,
        headers: { 'if-none-match': headers.etag! },
      }),
    ).rejects.toMatchObject({ status: 304 });
    const { github } = await t.admin('GET', '/stats');
    expect(github).toMatchObject({
      total: 1,
      byToken: { 'maya-chen': 1 },
      byEndpoint: { 'GET /repos/{owner}/{repo}': 1 },
      byVerb: { GET: 1 },
      notModified: {
        total: 4,
        byToken: { 'maya-chen': 3, 'lena-fischer': 1 },
        byEndpoint: { 'GET /repos/{owner}/{repo}': 4 },
      },
    });
  });
});
