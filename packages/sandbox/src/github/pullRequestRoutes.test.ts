import { Octokit } from '@octokit/rest';
import { Sandbox } from '../Sandbox';
import { commitFiles, postPortalApproval } from '../testing/gitOpsChanges';
import {
  SandboxGitHub,
  startSandboxGitHub,
} from './__testUtils__/sandboxGitHub';

describe('pull requests, reviews and branch protection of the sandbox GitHub', () => {
  let github: SandboxGitHub;
  let t: SandboxGitHub['t'];
  let scientist: Octokit;
  let approver: Octokit;
  let repo: { owner: string; repo: string };

  beforeAll(async () => {
    github = await startSandboxGitHub();
    ({ t, repo } = github);
    scientist = github.as('data-scientist');
    approver = github.as('approver');
  });
  afterAll(() => t.stop());

  /** A merge the protection refuses, with GitHub's reason. */
  const expectMergeRefused = (pullNumber: number, message: string) =>
    expect(
      approver.pulls.merge({ ...repo, pull_number: pullNumber }),
    ).rejects.toMatchObject({ status: 405, response: { data: { message } } });

  it('opens a pull request that requests the code owners, takes labels, and lists its files', async () => {
    await commitFiles(scientist, repo, 'deploy/model-a', {
      'infrastructure/cluster-aws/models/model-a.yaml': 'model: a\n',
    });
    const pr = await scientist.pulls.create({
      ...repo,
      title: 'Deploy model-a',
      head: 'deploy/model-a',
      base: 'main',
      body: 'Summary',
    });
    expect(pr.status).toBe(201);
    expect(pr.data.requested_teams!.map(team => team.slug)).toEqual([
      'platform-team',
    ]);
    expect(pr.data.user!.login).toBe('maya-chen');
    expect(pr.data.mergeable_state).toBe('blocked');

    const labels = await scientist.issues.addLabels({
      ...repo,
      issue_number: pr.data.number,
      labels: ['deployment', 'hipaa'],
    });
    expect(labels.data.map(l => l.name)).toEqual(['deployment', 'hipaa']);
    const files = await scientist.pulls.listFiles({
      ...repo,
      pull_number: pr.data.number,
    });
    expect(files.data).toEqual([
      expect.objectContaining({
        filename: 'infrastructure/cluster-aws/models/model-a.yaml',
        status: 'added',
        additions: 1,
      }),
    ]);

    await expect(
      scientist.pulls.create({
        ...repo,
        title: 'Again',
        head: 'deploy/model-a',
        base: 'main',
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          errors: [
            expect.objectContaining({
              message:
                'A pull request already exists for omnivision-ai:deploy/model-a.',
            }),
          ],
        },
      },
    });
    await expect(
      scientist.pulls.create({
        ...repo,
        title: 'Nothing',
        head: 'no-such-branch',
        base: 'main',
      }),
    ).rejects.toMatchObject({ status: 422 });
  }, 30_000);

  it("blocks an unapproved merge and a self-approval, merges after a code owner approves and the portal's status", async () => {
    const head = await commitFiles(scientist, repo, 'deploy/model-b', {
      'infrastructure/cluster-gcp/models/model-b.yaml': 'model: b\n',
    });
    const { data: pr } = await scientist.pulls.create({
      ...repo,
      title: 'Deploy model-b',
      head: 'deploy/model-b',
      base: 'main',
    });

    await expect(
      scientist.pulls.merge({ ...repo, pull_number: pr.number }),
    ).rejects.toMatchObject({
      status: 405,
      response: {
        data: {
          message:
            'At least 1 approving review is required by reviewers with write access.',
        },
      },
    });
    await expect(
      scientist.pulls.createReview({
        ...repo,
        pull_number: pr.number,
        event: 'APPROVE',
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: ['Can not approve your own pull request'] } },
    });

    const review = await approver.pulls.createReview({
      ...repo,
      pull_number: pr.number,
      event: 'APPROVE',
      body: 'LGTM',
    });
    expect(review.data.state).toBe('APPROVED');
    const mergeableState = async () =>
      (await scientist.pulls.get({ ...repo, pull_number: pr.number })).data
        .mergeable_state;
    expect(await mergeableState()).toBe('blocked');
    await expectMergeRefused(
      pr.number,
      'Required status check "omnivision/approval" is expected.',
    );

    // The required context from anyone but the portal's app does not count.
    await scientist.repos.createCommitStatus({
      ...repo,
      sha: head,
      state: 'success',
      context: 'omnivision/approval',
    });
    expect(await mergeableState()).toBe('blocked');
    await postPortalApproval(scientist, repo, head, 'pending');
    await expectMergeRefused(
      pr.number,
      'Required status check "omnivision/approval" is pending.',
    );
    await postPortalApproval(scientist, repo, head, 'failure');
    await expectMergeRefused(
      pr.number,
      'Required status check "omnivision/approval" is failing.',
    );
    await postPortalApproval(scientist, repo, head);
    expect(await mergeableState()).toBe('clean');

    const merged = await approver.pulls.merge({
      ...repo,
      pull_number: pr.number,
      merge_method: 'squash',
    });
    expect(merged.data.merged).toBe(true);
    const main = await scientist.repos.getContent({
      ...repo,
      path: 'infrastructure/cluster-gcp/models/model-b.yaml',
    });
    expect(
      Buffer.from(
        (main.data as { content: string }).content,
        'base64',
      ).toString(),
    ).toBe('model: b\n');
    const after = await scientist.pulls.get({
      ...repo,
      pull_number: pr.number,
    });
    expect(after.data).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merged.data.sha,
      merged_by: { login: 'lena-fischer' },
    });
    await expect(
      approver.pulls.merge({ ...repo, pull_number: pr.number }),
    ).rejects.toMatchObject({ status: 405 });
  }, 30_000);

  it('dismisses an approval when new commits arrive, and refuses a merge of a stale head sha', async () => {
    const first = await commitFiles(scientist, repo, 'deploy/model-c', {
      'infrastructure/cluster-aws/models/model-c.yaml': 'replicas: 1\n',
    });
    const { data: pr } = await scientist.pulls.create({
      ...repo,
      title: 'Deploy model-c',
      head: 'deploy/model-c',
      base: 'main',
    });
    await approver.pulls.createReview({
      ...repo,
      pull_number: pr.number,
      event: 'APPROVE',
    });
    await postPortalApproval(scientist, repo, first);
    const second = await commitFiles(
      scientist,
      repo,
      'deploy/model-c',
      { 'infrastructure/cluster-aws/models/model-c.yaml': 'replicas: 2\n' },
      first,
    );

    await expect(
      approver.pulls.merge({ ...repo, pull_number: pr.number, sha: first }),
    ).rejects.toMatchObject({ status: 409 });
    await expect(
      approver.pulls.merge({ ...repo, pull_number: pr.number }),
    ).rejects.toMatchObject({ status: 405 });
    const reviews = await scientist.pulls.listReviews({
      ...repo,
      pull_number: pr.number,
    });
    expect(reviews.data.map(r => r.state)).toEqual(['DISMISSED']);

    // A new approval is not enough: the portal's status must be on the new head too.
    await approver.pulls.createReview({
      ...repo,
      pull_number: pr.number,
      event: 'APPROVE',
    });
    await expectMergeRefused(
      pr.number,
      'Required status check "omnivision/approval" is expected.',
    );
    await postPortalApproval(scientist, repo, second);
    await expect(
      approver.pulls.merge({ ...repo, pull_number: pr.number, sha: second }),
    ).resolves.toMatchObject({ data: { merged: true } });
  }, 30_000);

  it('blocks a merge while changes are requested, and needs a body to request them', async () => {
    await commitFiles(scientist, repo, 'deploy/model-d', {
      'infrastructure/cluster-aws/models/model-d.yaml': 'model: d\n',
    });
    const { data: pr } = await scientist.pulls.create({
      ...repo,
      title: 'Deploy model-d',
      head: 'deploy/model-d',
      base: 'main',
    });
    await expect(
      approver.pulls.createReview({
        ...repo,
        pull_number: pr.number,
        event: 'REQUEST_CHANGES',
      }),
    ).rejects.toMatchObject({ status: 422 });
    await approver.pulls.createReview({
      ...repo,
      pull_number: pr.number,
      event: 'REQUEST_CHANGES',
      body: 'Use a MIG profile',
    });
    await expect(
      approver.pulls.merge({ ...repo, pull_number: pr.number }),
    ).rejects.toMatchObject({ status: 405 });
  });

  it('pages the pull request list with a Link header', async () => {
    const page1 = await scientist.pulls.list({
      ...repo,
      state: 'all',
      per_page: 2,
    });
    expect(page1.data).toHaveLength(2);
    expect(page1.headers.link).toMatch(/rel="next"/);
    const all = await scientist.paginate('GET /repos/{owner}/{repo}/pulls', {
      ...repo,
      state: 'all',
      per_page: 2,
    });
    expect(all.map(p => p.number)).toEqual([4, 3, 2, 1]);
  });

  it('keeps the repository and pull requests across a restart of the sandbox', async () => {
    const restarted = await Sandbox.create({ dataDir: t.dataDir, port: 0 });
    const url = await restarted.start();
    try {
      const again = new Octokit({
        baseUrl: `${url}/api/v3`,
        auth: restarted.endpoints().github.users[0].token,
      });
      const pulls = await again.pulls.list({ ...repo, state: 'all' });
      expect(pulls.data.map(p => [p.number, p.state])).toEqual([
        [4, 'open'],
        [3, 'closed'],
        [2, 'closed'],
        [1, 'open'],
      ]);
      const status = await again.repos.getCombinedStatusForRef({
        ...repo,
        ref: 'deploy/model-c',
      });
      expect(status.data).toMatchObject({
        state: 'success',
        statuses: [{ context: 'omnivision/approval', state: 'success' }],
      });
      await expect(
        again.repos.getContent({
          ...repo,
          path: 'infrastructure/cluster-gcp/models/model-b.yaml',
        }),
      ).resolves.toBeDefined();
    } finally {
      await restarted.stop();
    }
  });

  it('lets a person in both teams review as a code owner, never their own pull request', async () => {
    const both = github.as('both');
    expect((await both.users.getAuthenticated()).data.login).toBe('sam-okafor');

    const head = await commitFiles(both, repo, 'deploy/model-e', {
      'infrastructure/cluster-aws/models/model-e.yaml': 'model: e\n',
    });
    const { data: pr } = await both.pulls.create({
      ...repo,
      title: 'Deploy model-e',
      head: 'deploy/model-e',
      base: 'main',
    });
    expect(pr.requested_teams!.map(team => team.slug)).toEqual([
      'platform-team',
    ]);
    await expect(
      both.pulls.createReview({
        ...repo,
        pull_number: pr.number,
        event: 'APPROVE',
      }),
    ).rejects.toMatchObject({ status: 422 });
    await postPortalApproval(both, repo, head);
    await expect(
      both.pulls.merge({ ...repo, pull_number: pr.number }),
    ).rejects.toMatchObject({ status: 405 });

    // Sam's approval of someone else's pull request is a code owner's.
    const { data: pr1 } = await scientist.pulls.get({
      ...repo,
      pull_number: 1,
    });
    await both.pulls.createReview({
      ...repo,
      pull_number: 1,
      event: 'APPROVE',
    });
    await postPortalApproval(scientist, repo, pr1.head.sha);
    await expect(
      both.pulls.merge({ ...repo, pull_number: 1 }),
    ).resolves.toMatchObject({ data: { merged: true } });
  }, 30_000);

  it('merges three ways: what main gained since a branch was cut stays when the branch merges', async () => {
    const open = async (model: string) => {
      const head = await commitFiles(scientist, repo, `deploy/${model}`, {
        [`infrastructure/cluster-aws/models/${model}.yaml`]: `model: ${model}\n`,
      });
      const { data: pr } = await scientist.pulls.create({
        ...repo,
        title: `Deploy ${model}`,
        head: `deploy/${model}`,
        base: 'main',
      });
      await approver.pulls.createReview({
        ...repo,
        pull_number: pr.number,
        event: 'APPROVE',
      });
      await postPortalApproval(scientist, repo, head);
      return pr.number;
    };
    // Both branches are cut from the same main; the first merges, then the second.
    const first = await open('model-three-way-1');
    const second = await open('model-three-way-2');
    await approver.pulls.merge({ ...repo, pull_number: first });
    const { data: pr } = await scientist.pulls.get({
      ...repo,
      pull_number: second,
    });
    expect(pr.mergeable).toBe(true);
    await approver.pulls.merge({ ...repo, pull_number: second });
    for (const model of ['model-three-way-1', 'model-three-way-2']) {
      const file = await scientist.repos.getContent({
        ...repo,
        path: `infrastructure/cluster-aws/models/${model}.yaml`,
      });
      expect(
        Buffer.from(
          (file.data as { content: string }).content,
          'base64',
        ).toString(),
      ).toBe(`model: ${model}\n`);
    }
  }, 30_000);
});
