import { APPROVAL_STATUS_CONTEXT } from '@internal/plugin-omnivision-common';
import { requestFixture } from '@internal/plugin-omnivision-common/testUtils';
import {
  asPortal,
  commitFiles,
  eventually,
  repositoryState,
} from '@internal/sandbox/testUtils';
import request from 'supertest';
import {
  as,
  openRequest,
  userRef,
  viaTemplate,
} from '../__testUtils__/requestFlow';
import {
  DeploymentBackend,
  repo,
  startDeploymentBackend,
} from '../__testUtils__/startDeploymentBackend';

jest.setTimeout(120_000);

const maya = userRef('maya-chen');
const lena = userRef('lena-fischer');
const omar = userRef('omar-haddad');
const sam = userRef('sam-okafor');

/** vidgen-xl, 1 GPU × 4 replicas × 2 regions: 8 GPUs of data-science's 32. */
const vidgen = requestFixture({ minReplicas: 1, maxReplicas: 4 });

describe('the approval gate and the request lifecycle, against the sandbox', () => {
  let backend: DeploymentBackend;
  let vidgenRequest: number;
  const api = () => request(backend.server);
  const get = async (number: number, user = maya) =>
    (
      await api()
        .get(`/api/omnivision/requests/${number}`)
        .set('authorization', as(user))
    ).body;
  /** The head's `omnivision/approval` status on GitHub, as branch protection reads it. */
  const gateOnGitHub = async (number: number) => {
    const github = backend.octokit('omar-haddad');
    const pull = await github.pulls.get({ ...repo, pull_number: number });
    const status = await github.repos.getCombinedStatusForRef({
      ...repo,
      ref: pull.data.head.sha,
    });
    return status.data.statuses.find(
      s => s.context === APPROVAL_STATUS_CONTEXT,
    );
  };
  const refusals = async (number: number) =>
    (
      await api()
        .get(`/api/omnivision/audit?outcome=refused&pullRequest=${number}`)
        .set('authorization', as(lena))
    ).body.items;

  beforeAll(async () => {
    backend = await startDeploymentBackend();
    vidgenRequest = await openRequest(backend, 'maya-chen', vidgen);
  });

  afterAll(() => backend?.stop());

  it("posts a pending omnivision/approval status on the request's head when it is recorded", async () => {
    const status = await gateOnGitHub(vidgenRequest);
    expect(status).toMatchObject({
      state: 'pending',
      description: expect.stringContaining(
        'Waiting for a code owner other than maya-chen to approve',
      ),
    });
    expect((await get(vidgenRequest)).progress.state).toBe('awaiting-review');
  });

  it("refuses a review or merge made with another person's GitHub token, audited with both identities; nothing reaches GitHub", async () => {
    const review = await api()
      .post(`/api/omnivision/requests/${vidgenRequest}/reviews`)
      .set('authorization', as(lena))
      .set('x-github-token', backend.tokenOf('raj-patel'))
      .send({ event: 'APPROVE' });
    expect(review.status).toBe(403);
    expect(review.body.error.message).toBe(
      "the GitHub token is raj-patel's, not lena-fischer's: review and merge with your own GitHub sign-in",
    );
    // The token of the portal's app's bot (the sandbox's static one, for test tools).
    const { github } = await backend.sandbox.admin('GET', '/endpoints');
    const merge = await api()
      .post(`/api/omnivision/requests/${vidgenRequest}/merge`)
      .set('authorization', as(lena))
      .set('x-github-token', github.app.token)
      .send();
    expect(merge.status).toBe(403);

    const reviews = await backend
      .octokit('maya-chen')
      .pulls.listReviews({ ...repo, pull_number: vidgenRequest });
    expect(reviews.data).toEqual([]);
    expect(
      (await refusals(vidgenRequest)).map((e: any) => [
        e.actor,
        e.githubLogin,
        e.action,
      ]),
    ).toEqual([
      [lena, 'raj-patel', 'review.approved'],
      [lena, 'omnivision-portal[bot]', 'pull-request.merged'],
    ]);
  });

  it('shows an approval made directly on GitHub within 5 s, by its webhook, and passes the gate', async () => {
    await backend.octokit('raj-patel').pulls.createReview({
      ...repo,
      pull_number: vidgenRequest,
      event: 'APPROVE',
    });
    const started = Date.now();
    const approved = await eventually(async () => {
      const detail = await get(vidgenRequest);
      return detail.progress.state === 'approved' ? detail : undefined;
    }, 10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(approved.approval).toMatchObject({
      state: 'success',
      approvedBy: 'raj-patel',
    });
    expect(await gateOnGitHub(vidgenRequest)).toMatchObject({
      state: 'success',
      description: expect.stringMatching(
        /^Approved by raj-patel on [0-9a-f]{7}$/,
      ),
    });
  });

  it('refuses with 409 a merge of a head pushed after the approval', async () => {
    const { headSha } = await get(vidgenRequest);
    const portal = asPortal(backend.octokit('maya-chen'));
    const branch = (await get(vidgenRequest)).branch;
    await commitFiles(
      portal,
      repo,
      branch,
      { 'infrastructure/cluster-aws/models/vidgen-xl.yaml': 'pushed: later\n' },
      headSha,
    );
    const merge = await api()
      .post(`/api/omnivision/requests/${vidgenRequest}/merge`)
      .set('authorization', as(lena))
      .set('x-github-token', backend.tokenOf('lena-fischer'))
      .send();
    expect(merge.status).toBe(409);
    const pull = await backend
      .octokit('maya-chen')
      .pulls.get({ ...repo, pull_number: vidgenRequest });
    expect(pull.data.merged).toBe(false);
    // The gate moves to the new head: pending until someone approves it.
    const pending = await eventually(async () => {
      const detail = await get(vidgenRequest);
      return detail.headSha !== headSha &&
        detail.approval?.sha === detail.headSha
        ? detail
        : undefined;
    }, 10_000);
    expect(pending.progress.state).toBe('awaiting-review');
    // GitHub dismissed the stale approval when the head moved.
    expect(pending.reviews.map((r: any) => [r.user, r.state])).toEqual([
      ['raj-patel', 'DISMISSED'],
    ]);
    expect(pending.approval.description).toBe(
      `Waiting for a code owner other than maya-chen to approve ${pending.headSha.slice(
        0,
        7,
      )}`,
    );
  });

  it('catches up by the reconciler when webhooks are held back', async () => {
    await backend.sandbox.admin('POST', '/webhooks/hold');
    try {
      await backend.octokit('raj-patel').pulls.createReview({
        ...repo,
        pull_number: vidgenRequest,
        event: 'APPROVE',
      });
      const approved = await eventually(async () => {
        const detail = await get(vidgenRequest);
        return detail.progress.state === 'approved' ? detail : undefined;
      }, 20_000);
      expect(approved.approval.approvedBy).toBe('raj-patel');
      const { items } = await backend.sandbox.admin(
        'GET',
        '/webhooks/deliveries',
      );
      expect(
        items.some(
          (d: any) => d.event === 'pull_request_review' && d.status === 'held',
        ),
      ).toBe(true);
    } finally {
      await backend.sandbox.admin('DELETE', '/webhooks/hold');
    }
  });

  it('keeps the gate shut when a requester who is also a code owner approves their own request on GitHub', async () => {
    const own = await openRequest(
      backend,
      'sam-okafor',
      requestFixture({
        model: 'resource:default/upscaler-4k',
        minReplicas: 1,
        maxReplicas: 4,
      }),
    );
    await backend.octokit('sam-okafor').pulls.createReview({
      ...repo,
      pull_number: own,
      event: 'APPROVE',
    });
    // Once the gate has judged the head with the review in.
    const seen = await eventually(async () => {
      const detail = await get(own, sam);
      return detail.reviews.length > 0 &&
        /own approval/.test(detail.approval?.description)
        ? detail
        : undefined;
    }, 10_000);
    expect(seen.progress.state).toBe('awaiting-review');
    expect(
      seen.progress.timeline.find((s: any) => s.stage === 'approved'),
    ).toMatchObject({ done: false });
    expect(seen.approval.description).toContain(
      "the requester's own approval does not count",
    );
    expect((await gateOnGitHub(own))?.state).toBe('pending');

    // GitHub's branch protection refuses the merge, from GitHub and from the portal.
    await expect(
      backend.octokit('raj-patel').pulls.merge({ ...repo, pull_number: own }),
    ).rejects.toMatchObject({ status: 405 });
    const merge = await api()
      .post(`/api/omnivision/requests/${own}/merge`)
      .set('authorization', as(sam))
      .set('x-github-token', backend.tokenOf('sam-okafor'))
      .send();
    expect(merge.status).toBe(409);
    expect(merge.body.error.message).toContain('GitHub refused the merge');
  });

  it("refuses another person's request for a model with an open request, naming it; the requester and the repository stay", async () => {
    const before = await repositoryState(backend.octokit('maya-chen'), repo);
    const check = await api()
      .post('/api/omnivision/requests/checks')
      .set('authorization', viaTemplate(omar))
      .send({ request: vidgen });
    expect(check.status).toBe(409);
    expect(check.body.error.message).toContain(
      `vidgen-xl already has an open request: #${vidgenRequest} by ${maya}`,
    );
    const detail = await get(vidgenRequest);
    const record = await api()
      .post('/api/omnivision/requests')
      .set('authorization', viaTemplate(omar))
      .send({
        pullRequestNumber: vidgenRequest,
        pullRequestUrl: detail.pullRequestUrl,
        branch: detail.branch,
        request: vidgen,
      });
    expect(record.status).toBe(409);
    expect((await get(vidgenRequest)).requester).toBe(maya);
    expect(await repositoryState(backend.octokit('maya-chen'), repo)).toEqual(
      before,
    );
    const omarsRefusals = (
      await api()
        .get(
          `/api/omnivision/audit?actor=${encodeURIComponent(
            omar,
          )}&outcome=refused`,
        )
        .set('authorization', as(lena))
    ).body.items;
    expect(
      omarsRefusals.map((e: any) => [e.action, e.pullRequestNumber, e.reason]),
    ).toEqual([
      [
        'request.created',
        undefined,
        expect.stringContaining('already has an open request'),
      ],
      [
        'request.created',
        vidgenRequest,
        `pull request #${vidgenRequest} is ${maya}'s request; it stays theirs`,
      ],
    ]);
  });

  it('refuses the request that crosses the quota with what the team already holds, naming the figures', async () => {
    // Open: vidgen-xl 8 and upscaler-4k 8. vidgen-lite 16 more: 32, at the quota.
    await openRequest(
      backend,
      'omar-haddad',
      requestFixture({
        model: 'resource:default/vidgen-lite',
        minReplicas: 1,
        maxReplicas: 8,
      }),
    );
    // 2 more, alone well within the quota, together over it.
    const crossing = await api()
      .post('/api/omnivision/requests/checks')
      .set('authorization', viaTemplate(omar))
      .send({
        request: requestFixture({
          model: 'resource:default/colorizer',
          minReplicas: 1,
          maxReplicas: 1,
        }),
      });
    expect(crossing.status).toBe(400);
    expect(crossing.body.error.message).toContain(
      '2 GPUs at most (1 × 1 replicas × 2 regions) + 32 group:default/data-science already holds (',
    );
    expect(crossing.body.error.message).toContain(
      `8 for open request #${vidgenRequest} (vidgen-xl)`,
    );
    expect(crossing.body.error.message).toContain(
      '= 34 exceed the GPU quota of group:default/data-science (32)',
    );
  });

  it('answers 20 reads of the requests from the database: no GitHub call', async () => {
    // Let the reconciler see the last changes first.
    await new Promise(resolve => setTimeout(resolve, 5_000));
    await backend.sandbox.admin('DELETE', '/stats');
    for (let i = 0; i < 20; i++) {
      expect(
        (
          await api()
            .get('/api/omnivision/requests')
            .set('authorization', as(lena))
        ).status,
      ).toBe(200);
      expect((await get(vidgenRequest, lena)).pullRequestNumber).toBe(
        vidgenRequest,
      );
    }
    // Past a reconciler run (every 2 s), whose conditional list GitHub answers 304.
    await new Promise(resolve => setTimeout(resolve, 3_000));
    const { github } = await backend.sandbox.admin('GET', '/stats');
    // No call that counts against the rate limit: the reads made none, the reconciler's list
    // was not modified.
    expect(github.byEndpoint).toEqual({});
    expect(
      github.notModified.byEndpoint['GET /repos/{owner}/{repo}/pulls'],
    ).toBeGreaterThanOrEqual(1);
  });

  it('notifies the approving team of each new request and the requester of the merge, and signals every change', async () => {
    expect(
      backend.notifications
        .filter(n => n.payload.title.includes('awaits your review'))
        .map(n => n.recipients),
    ).toEqual(
      expect.arrayContaining([
        {
          type: 'entity',
          entityRef: ['group:default/platform-team'],
          excludeEntityRef: maya,
        },
      ]),
    );
    const approved = await api()
      .post(`/api/omnivision/requests/${vidgenRequest}/reviews`)
      .set('authorization', as(lena))
      .set('x-github-token', backend.tokenOf('lena-fischer'))
      .send({ event: 'APPROVE' });
    expect(approved.status).toBe(201);
    const merged = await api()
      .post(`/api/omnivision/requests/${vidgenRequest}/merge`)
      .set('authorization', as(lena))
      .set('x-github-token', backend.tokenOf('lena-fischer'))
      .send();
    expect(merged.status).toBe(200);
    expect(merged.body.progress.state).toBe('merged');
    const toMaya = backend.notifications.filter(
      n =>
        n.recipients.type === 'entity' && n.recipients.entityRef.includes(maya),
    );
    expect(toMaya.map(n => n.payload.title)).toEqual(
      expect.arrayContaining(['vidgen-xl approved', 'vidgen-xl merged']),
    );
    expect(
      backend.signals.some(
        s =>
          s.channel === 'omnivision:requests' &&
          (s.message as any).pullRequestNumber === vidgenRequest &&
          (s.message as any).state === 'merged',
      ),
    ).toBe(true);
    const mergedEvents = (
      await api()
        .get(
          `/api/omnivision/audit?pullRequest=${vidgenRequest}&action=pull-request.merged&outcome=succeeded`,
        )
        .set('authorization', as(lena))
    ).body.items;
    // Once, whether the portal or GitHub's event told it first, with both identities.
    expect(mergedEvents.map((e: any) => [e.actor, e.githubLogin])).toEqual([
      [lena, 'lena-fischer'],
    ]);
  });
});
