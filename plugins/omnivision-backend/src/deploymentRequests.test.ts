import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DeploymentRequest,
  deploymentBranch,
  omnivisionDeploymentMergePermission,
  omnivisionDeploymentReviewPermission,
  renderValuesFiles,
} from '@internal/plugin-omnivision-common';
import { PORTAL_MARKER } from '@internal/plugin-omnivision-node';
import { commitFiles, eventually } from '@internal/sandbox/testUtils';
import { Octokit } from '@octokit/rest';
import request from 'supertest';
import {
  contextFixture,
  requestFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import {
  DeploymentBackend,
  repo,
  startDeploymentBackend,
} from './__testUtils__/startDeploymentBackend';

jest.setTimeout(120_000);

const maya = 'user:default/maya-chen';
const lena = 'user:default/lena-fischer';
const omar = 'user:default/omar-haddad';

const deployment: DeploymentRequest = requestFixture({
  minReplicas: 1,
  maxReplicas: 2,
});

describe('deployment requests: record, review, merge, timeline and audit, against the sandbox', () => {
  let backend: DeploymentBackend;
  let portal: Octokit;
  let number: number;
  let url: string;

  beforeAll(async () => {
    backend = await startDeploymentBackend({
      sandboxSyncMs: 200,
      features: [
        // People's groups, as the catalog gives them.
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            const team = ref === lena ? 'platform-team' : 'data-science';
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [ref, `group:default/${team}`],
            };
          },
        }).factory,
        // The portal's policy on reviews and merges: the platform team only.
        mockServices.permissions.mock({
          authorize: async (requests, options) =>
            requests.map(r => ({
              result:
                [
                  omnivisionDeploymentReviewPermission.name,
                  omnivisionDeploymentMergePermission.name,
                ].includes(r.permission.name) &&
                (options?.credentials.principal as any).userEntityRef === omar
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    const { github } = await backend.sandbox.admin('GET', '/endpoints');
    portal = new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: github.app.token,
    });
    // The pull request the scaffolder's actions open, as the portal.
    const branch = deploymentBranch(deployment);
    // The catalog's vidgen-xl (startDeploymentBackend) in the regions of app-config.yaml.
    const files = renderValuesFiles(deployment, contextFixture());
    await commitFiles(
      portal,
      repo,
      branch,
      Object.fromEntries(files.map(f => [f.path, f.content])),
    );
    const pull = await portal.pulls.create({
      ...repo,
      head: branch,
      base: 'main',
      title: 'Deploy vidgen-xl',
      body: `Requested by ${maya} through the OmniVision Portal.\n\n${PORTAL_MARKER}\n`,
    });
    number = pull.data.number;
    url = pull.data.html_url;
  });

  afterAll(() => backend?.stop());

  const as = (user: string) => mockCredentials.user.header(user);
  /** The scaffolder's token on behalf of a person, as the record action sends it. */
  const viaTemplate = (user: string) =>
    `Bearer ${mockCredentials.user.token(user, {
      actor: { subject: 'plugin:scaffolder' },
    })}`;
  const api = () => request(backend.server);

  it('records a request only from the deploy template, for the person it acts for', async () => {
    const record = {
      pullRequestNumber: number,
      pullRequestUrl: url,
      branch: deploymentBranch(deployment),
      request: deployment,
    };
    const direct = await api()
      .post('/api/omnivision/requests')
      .set('authorization', as(maya))
      .send(record);
    expect(direct.status).toBe(403);
    expect(direct.body.error.message).toBe(
      'deployment requests are recorded by the deploy template, not directly',
    );

    const otherBranch = await api()
      .post('/api/omnivision/requests')
      .set('authorization', viaTemplate(maya))
      .send({ ...record, request: { ...deployment, maxReplicas: 3 } });
    expect(otherBranch.status).toBe(400);
    expect(otherBranch.body.error.message).toContain(
      "not from this request's branch",
    );

    const overQuota = await api()
      .post('/api/omnivision/requests')
      .set('authorization', viaTemplate(maya))
      .send({ ...record, request: { ...deployment, maxReplicas: 40 } });
    expect(overQuota.status).toBe(400);

    const res = await api()
      .post('/api/omnivision/requests')
      .set('authorization', viaTemplate(maya))
      .send(record);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      pullRequestNumber: number,
      pullRequestUrl: url,
      requester: maya,
      model: deployment.model,
      regions: deployment.regions,
      filesDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
  });

  it('lists it as mine for the requester and as awaiting review for the platform team', async () => {
    const mine = await api()
      .get('/api/omnivision/requests?filter=mine')
      .set('authorization', as(maya));
    expect(mine.body.items.map((r: any) => r.pullRequestNumber)).toEqual([
      number,
    ]);
    expect(mine.body.items[0].progress.state).toBe('awaiting-review');
    const toReview = await api()
      .get('/api/omnivision/requests?filter=review')
      .set('authorization', as(lena));
    expect(toReview.body.items.map((r: any) => r.pullRequestNumber)).toEqual([
      number,
    ]);
    expect(toReview.body.items[0].requestedReviewers).toContain(
      '@platform-team',
    );
    const ownReview = await api()
      .get('/api/omnivision/requests?filter=review')
      .set('authorization', as(maya));
    expect(ownReview.body.items).toEqual([]);
    const ofModel = await api()
      .get('/api/omnivision/requests?model=vidgen-xl')
      .set('authorization', as(maya));
    expect(ofModel.body.items.map((r: any) => r.pullRequestNumber)).toEqual([
      number,
    ]);
    const ofOther = await api()
      .get('/api/omnivision/requests?model=upscaler-4k')
      .set('authorization', as(maya));
    expect(ofOther.body.items).toEqual([]);
    const badModel = await api()
      .get('/api/omnivision/requests?model=../x')
      .set('authorization', as(maya));
    expect(badModel.status).toBe(400);
    const bad = await api()
      .get('/api/omnivision/requests?filter=everything')
      .set('authorization', as(maya));
    expect(bad.status).toBe(400);
  });

  it('refuses, and audits, an approval by the requester, by someone without the permission, and a merge GitHub blocks', async () => {
    const own = await api()
      .post(`/api/omnivision/requests/${number}/reviews`)
      .set('authorization', as(maya))
      .set('x-github-token', backend.tokenOf('maya-chen'))
      .send({ event: 'APPROVE' });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      'you cannot review your own deployment request',
    );

    const withoutPermission = await api()
      .post(`/api/omnivision/requests/${number}/reviews`)
      .set('authorization', as(omar))
      .set('x-github-token', backend.tokenOf('omar-haddad'))
      .send({ event: 'APPROVE' });
    expect(withoutPermission.status).toBe(403);

    const blocked = await api()
      .post(`/api/omnivision/requests/${number}/merge`)
      .set('authorization', as(lena))
      .set('x-github-token', backend.tokenOf('lena-fischer'))
      .send();
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.message).toContain('GitHub refused the merge');

    const noComment = await api()
      .post(`/api/omnivision/requests/${number}/reviews`)
      .set('authorization', as(lena))
      .set('x-github-token', backend.tokenOf('lena-fischer'))
      .send({ event: 'REQUEST_CHANGES' });
    expect(noComment.status).toBe(400);

    const noToken = await api()
      .post(`/api/omnivision/requests/${number}/reviews`)
      .set('authorization', as(lena))
      .send({ event: 'APPROVE' });
    expect(noToken.status).toBe(400);
    expect(noToken.body.error.message).toContain('x-github-token');

    const refused = await api()
      .get(`/api/omnivision/audit?outcome=refused&pullRequest=${number}`)
      .set('authorization', as(lena));
    expect(
      refused.body.items.map((e: any) => [e.actor, e.action, e.reason]),
    ).toEqual([
      // The template's records of another branch, in the first test.
      [
        maya,
        'request.created',
        expect.stringContaining('not from this request'),
      ],
      [
        maya,
        'request.created',
        expect.stringContaining('not from this request'),
      ],
      [
        maya,
        'review.approved',
        'you cannot review your own deployment request',
      ],
      [
        omar,
        'review.approved',
        'only platform-team may review deployment requests',
      ],
      [
        lena,
        'pull-request.merged',
        expect.stringContaining('GitHub refused the merge'),
      ],
      [
        lena,
        'review.changes-requested',
        expect.stringContaining('needs a comment'),
      ],
      // Refused at the router: no GitHub token.
      [lena, 'review.approved', expect.stringContaining('x-github-token')],
    ]);
  });

  it('approves and merges as the approver on GitHub; the timeline reaches synced, then healthy, in both regions', async () => {
    const approved = await api()
      .post(`/api/omnivision/requests/${number}/reviews`)
      .set('authorization', as(lena))
      .set('x-github-token', backend.tokenOf('lena-fischer'))
      .send({ event: 'APPROVE', body: 'Quota and placement look right.' });
    expect(approved.status).toBe(201);
    expect(approved.body.progress.state).toBe('approved');
    expect(approved.body.reviews).toEqual([
      expect.objectContaining({ user: 'lena-fischer', state: 'APPROVED' }),
    ]);
    // GitHub, not the portal, says who approved: the approver's own identity.
    const reviews = await portal.pulls.listReviews({
      ...repo,
      pull_number: number,
    });
    expect(reviews.data.map(r => r.user?.login)).toEqual(['lena-fischer']);

    const merged = await api()
      .post(`/api/omnivision/requests/${number}/merge`)
      .set('authorization', as(lena))
      .set('x-github-token', backend.tokenOf('lena-fischer'))
      .send();
    expect(merged.status).toBe(200);
    expect(merged.body.progress.timeline.slice(0, 4)).toEqual([
      expect.objectContaining({ stage: 'requested', done: true }),
      expect.objectContaining({ stage: 'pr-opened', done: true }),
      expect.objectContaining({
        stage: 'approved',
        done: true,
        detail: 'lena-fischer',
      }),
      expect.objectContaining({ stage: 'merged', done: true }),
    ]);

    const synced = await eventually(async () => {
      const res = await api()
        .get(`/api/omnivision/requests/${number}`)
        .set('authorization', as(maya));
      return ['synced', 'healthy'].includes(res.body.progress?.state)
        ? res.body
        : undefined;
    }, 60_000);
    expect(
      synced.progress.timeline
        .filter((s: any) => s.stage === 'synced')
        .map((s: any) => [s.region, s.done]),
    ).toEqual([
      ['us-west-2', true],
      ['europe-west1', true],
    ]);
    const healthy = await eventually(async () => {
      const res = await api()
        .get(`/api/omnivision/requests/${number}`)
        .set('authorization', as(maya));
      return res.body.progress?.state === 'healthy' ? res.body : undefined;
    }, 90_000);
    expect(
      healthy.progress.timeline
        .filter((s: any) => s.stage === 'healthy')
        .map((s: any) => s.detail),
    ).toEqual(['1/1 replicas ready', '1/1 replicas ready']);
  });

  it('keeps every event in the audit trail, as JSON and as CSV, for the platform team', async () => {
    const res = await api()
      .get(`/api/omnivision/audit?pullRequest=${number}&outcome=succeeded`)
      .set('authorization', as(lena));
    expect(res.status).toBe(200);
    const events: Array<[string, string, string | null]> = res.body.items.map(
      (e: any) => [e.action, e.actor, e.region ?? null],
    );
    // What people did, in order, with the gate's verdicts between.
    expect(
      events.filter(([action]) => !action.startsWith('deployment.')),
    ).toEqual([
      ['request.created', maya, null],
      ['pull-request.opened', maya, null],
      ['approval.status', 'omnivision-portal', null],
      ['review.approved', lena, null],
      ['approval.status', 'omnivision-portal', null],
      ['pull-request.merged', lena, null],
    ]);
    // What the portal observed, once per region.
    const observed = events.filter(([action]) =>
      ['deployment.synced', 'deployment.healthy'].includes(action),
    );
    expect(observed.sort()).toEqual([
      ['deployment.healthy', 'omnivision-portal', 'europe-west1'],
      ['deployment.healthy', 'omnivision-portal', 'us-west-2'],
      ['deployment.synced', 'omnivision-portal', 'europe-west1'],
      ['deployment.synced', 'omnivision-portal', 'us-west-2'],
    ]);
    expect(
      events.filter(([action]) => action === 'deployment.canary').length,
    ).toBeGreaterThanOrEqual(2);

    const csv = await api()
      .get(
        `/api/omnivision/audit?pullRequest=${number}&outcome=succeeded&format=csv`,
      )
      .set('authorization', as(lena));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(
      /^id,at,actor,action,outcome,pullRequestNumber,model,region,reason/,
    );
    expect(lines).toHaveLength(1 + res.body.items.length);
    expect(lines[1]).toContain(
      `,${maya},request.created,succeeded,${number},vidgen-xl,,`,
    );

    const badQuery = await api()
      .get('/api/omnivision/audit?action=deleted')
      .set('authorization', as(lena));
    expect(badQuery.status).toBe(400);
  });
});
