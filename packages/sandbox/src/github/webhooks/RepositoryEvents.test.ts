import crypto from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { commitFiles, postPortalApproval } from '../../testing/gitOpsChanges';
import {
  SandboxGitHub,
  startSandboxGitHub,
} from '../__testUtils__/sandboxGitHub';
import {
  ReceivedDelivery,
  WebhookReceiver,
} from '../__testUtils__/WebhookReceiver';
import { WebhookSchemas } from '../__testUtils__/webhookSchemas';
import { loadWebhooksMethods } from './webhookSignature';

const SECRET = 'sandbox-webhook-secret';

describe("the GitHub App's webhooks, as the sandbox's REST calls cause them", () => {
  let github: SandboxGitHub;
  let t: SandboxGitHub['t'];
  let repo: { owner: string; repo: string };
  let scientist: Octokit;
  let approver: Octokit;
  let receiver: WebhookReceiver;
  const schemas = WebhookSchemas.load();
  const { verify } = loadWebhooksMethods();
  let seen = 0;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    github = await startSandboxGitHub();
    ({ t, repo } = github);
    scientist = github.as('data-scientist');
    approver = github.as('approver');
    await t.admin('PUT', '/webhooks/config', {
      url: receiver.url,
      secret: SECRET,
    });
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.stop();
  });

  /**
   * The deliveries since the last call, once none is pending: each signed with the secret, with
   * GitHub's headers, its payload valid against GitHub's webhook schema, from the app's
   * installation. Returns them as `event.action` names and the deliveries themselves.
   */
  async function delivered(): Promise<{
    names: string[];
    deliveries: ReceivedDelivery[];
  }> {
    await t.admin('POST', '/webhooks/drain');
    const deliveries = receiver.received.slice(seen);
    seen = receiver.received.length;
    for (const { headers, body, payload } of deliveries) {
      const event = String(headers['x-github-event']);
      expect(
        await verify(SECRET, body, String(headers['x-hub-signature-256'])),
      ).toBe(true);
      expect(headers['x-hub-signature']).toBe(
        `sha1=${crypto.createHmac('sha1', SECRET).update(body).digest('hex')}`,
      );
      expect(headers).toMatchObject({
        'content-type': 'application/json',
        'x-github-hook-id': '5001',
        'x-github-hook-installation-target-type': 'integration',
        'x-github-hook-installation-target-id': '3001',
        'x-github-enterprise-version': '3.19.0',
        'x-github-enterprise-host': '127.0.0.1',
      });
      expect(headers['user-agent']).toMatch(/^GitHub-Hookshot\/[0-9a-f]+$/);
      expect(headers['x-github-delivery']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
      expect(schemas.check(event, payload)).toEqual([]);
      expect(payload.installation).toEqual({
        id: 4001,
        node_id: expect.any(String),
      });
      expect(payload.repository.full_name).toBe(`${repo.owner}/${repo.repo}`);
      expect(payload.organization.login).toBe(repo.owner);
    }
    return {
      names: deliveries.map(d =>
        [d.headers['x-github-event'], d.payload.action]
          .filter(Boolean)
          .join('.'),
      ),
      deliveries,
    };
  }

  it('walks a pull request from a new branch to its merge', async () => {
    const main = (await scientist.git.getRef({ ...repo, ref: 'heads/main' }))
      .data.object.sha;
    const first = await commitFiles(scientist, repo, 'deploy/model-w', {
      'infrastructure/cluster-aws/models/model-w.yaml': 'model: w\n',
    });
    const created = await delivered();
    expect(created.names).toEqual(['push']);
    expect(created.deliveries[0].payload).toMatchObject({
      ref: 'refs/heads/deploy/model-w',
      before: '0'.repeat(40),
      after: first,
      created: true,
      deleted: false,
      forced: false,
      commits: [
        {
          id: first,
          added: ['infrastructure/cluster-aws/models/model-w.yaml'],
          author: { name: 'Maya Chen', username: 'maya-chen' },
        },
      ],
      head_commit: { id: first },
      pusher: { name: 'maya-chen', email: 'maya.chen@omnivision.ai' },
      sender: { login: 'maya-chen' },
    });

    const { data: pr } = await scientist.pulls.create({
      ...repo,
      title: 'Deploy model-w',
      head: 'deploy/model-w',
      base: 'main',
    });
    const opened = await delivered();
    expect(opened.names).toEqual([
      'pull_request.opened',
      'pull_request.review_requested',
    ]);
    expect(opened.deliveries[0].payload).toMatchObject({
      number: pr.number,
      pull_request: { number: pr.number, state: 'open', head: { sha: first } },
      sender: { login: 'maya-chen' },
    });
    expect(opened.deliveries[1].payload.requested_team.slug).toBe(
      'platform-team',
    );

    await approver.pulls.createReview({
      ...repo,
      pull_number: pr.number,
      event: 'APPROVE',
    });
    const approved = await delivered();
    expect(approved.names).toEqual(['pull_request_review.submitted']);
    expect(approved.deliveries[0].payload).toMatchObject({
      review: {
        state: 'approved',
        commit_id: first,
        user: { login: 'lena-fischer' },
      },
      pull_request: { number: pr.number },
      sender: { login: 'lena-fischer' },
    });

    // New commits: a fast-forward push, the pull request synchronized, the approval dismissed.
    const second = await commitFiles(
      scientist,
      repo,
      'deploy/model-w',
      { 'infrastructure/cluster-aws/models/model-w.yaml': 'model: w2\n' },
      first,
    );
    const pushed = await delivered();
    expect(pushed.names).toEqual([
      'push',
      'pull_request.synchronize',
      'pull_request_review.dismissed',
    ]);
    expect(pushed.deliveries[0].payload).toMatchObject({
      before: first,
      after: second,
      created: false,
      commits: [
        {
          id: second,
          modified: ['infrastructure/cluster-aws/models/model-w.yaml'],
        },
      ],
    });
    expect(pushed.deliveries[1].payload).toMatchObject({
      before: first,
      after: second,
      pull_request: { head: { sha: second } },
    });
    expect(pushed.deliveries[2].payload.review.state).toBe('dismissed');

    await approver.pulls.createReview({
      ...repo,
      pull_number: pr.number,
      event: 'APPROVE',
    });
    await postPortalApproval(scientist, repo, second);
    const gated = await delivered();
    expect(gated.names).toEqual(['pull_request_review.submitted', 'status']);
    expect(gated.deliveries[1].payload).toMatchObject({
      sha: second,
      state: 'success',
      context: 'omnivision/approval',
      sender: { login: 'omnivision-portal[bot]', type: 'Bot' },
      branches: [{ name: 'deploy/model-w', protected: false }],
      commit: { sha: second },
    });

    const { data: merge } = await approver.pulls.merge({
      ...repo,
      pull_number: pr.number,
    });
    const merged = await delivered();
    expect(merged.names).toEqual(['push', 'pull_request.closed']);
    expect(merged.deliveries[0].payload).toMatchObject({
      ref: 'refs/heads/main',
      before: main,
      after: merge.sha,
      pusher: { name: 'lena-fischer' },
      head_commit: { id: merge.sha },
    });
    expect(
      merged.deliveries[0].payload.commits.map((c: { id: string }) => c.id),
    ).toEqual([first, second, merge.sha]);
    expect(merged.deliveries[1].payload).toMatchObject({
      pull_request: {
        merged: true,
        merged_by: { login: 'lena-fischer' },
        merge_commit_sha: merge.sha,
        state: 'closed',
      },
      sender: { login: 'lena-fischer' },
    });

    await scientist.git.deleteRef({ ...repo, ref: 'heads/deploy/model-w' });
    const deleted = await delivered();
    expect(deleted.names).toEqual(['push']);
    expect(deleted.deliveries[0].payload).toMatchObject({
      before: second,
      after: '0'.repeat(40),
      deleted: true,
      commits: [],
      head_commit: null,
    });
  }, 30_000);

  it('tells edits, closing without a merge, reopening and review requests', async () => {
    await commitFiles(scientist, repo, 'deploy/model-x', {
      'infrastructure/cluster-gcp/models/model-x.yaml': 'model: x\n',
    });
    const { data: pr } = await scientist.pulls.create({
      ...repo,
      title: 'Deploy model-x',
      body: 'First words',
      head: 'deploy/model-x',
      base: 'main',
    });
    await delivered();

    await scientist.pulls.update({
      ...repo,
      pull_number: pr.number,
      title: 'Deploy model-x to GKE',
      body: 'Second words',
      state: 'closed',
    });
    const closed = await delivered();
    expect(closed.names).toEqual([
      'pull_request.edited',
      'pull_request.closed',
    ]);
    expect(closed.deliveries[0].payload.changes).toEqual({
      title: { from: 'Deploy model-x' },
      body: { from: 'First words' },
    });
    expect(closed.deliveries[1].payload.pull_request).toMatchObject({
      merged: false,
      state: 'closed',
    });

    await scientist.pulls.update({
      ...repo,
      pull_number: pr.number,
      state: 'open',
    });
    expect((await delivered()).names).toEqual(['pull_request.reopened']);

    await scientist.pulls.requestReviewers({
      ...repo,
      pull_number: pr.number,
      reviewers: ['raj-patel'],
    });
    await scientist.pulls.removeRequestedReviewers({
      ...repo,
      pull_number: pr.number,
      reviewers: ['raj-patel'],
    });
    const requests = await delivered();
    expect(requests.names).toEqual([
      'pull_request.review_requested',
      'pull_request.review_request_removed',
    ]);
    expect(
      requests.deliveries.map(d => d.payload.requested_reviewer.login),
    ).toEqual(['raj-patel', 'raj-patel']);
  }, 30_000);

  it("finds a payload unlike GitHub's invalid", () => {
    const [opened] = receiver.of('pull_request', 'opened');
    const { sender, ...withoutSender } = opened.payload;
    expect(schemas.check('pull_request', withoutSender)).toEqual([
      expect.stringContaining("must have required property 'sender'"),
    ]);
    expect(
      schemas.check('pull_request', {
        ...opened.payload,
        sender: { ...sender, user_view_type: 'public' },
      }).length,
    ).toBeGreaterThan(0);
    expect(
      schemas.check('push', receiver.of('status')[0].payload).length,
    ).toBeGreaterThan(0);
  });
});
