import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  REQUESTS_SIGNAL_CHANNEL,
  type RequestChangedSignal,
} from '@internal/plugin-omnivision-common';
import { MockSignalApi } from '@internal/plugin-omnivision-react/testUtils';
import { DeploymentRequestPage } from './DeploymentRequestPage';
import {
  API,
  GITHUB_TOKEN,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';
import { requestDetail } from '../../__testUtils__/requestFixtures';

const at = {
  mountPath: '/deployments/:number',
  initialRouteEntries: ['/deployments/7'],
};

describe('DeploymentRequestPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows the timeline, reviewers, policy and diff of a request', async () => {
    server.use(
      http.get(`${API}/requests/7`, () => HttpResponse.json(requestDetail())),
    );
    await renderWithOmniVisionApi(<DeploymentRequestPage />, at);
    const timeline = await screen.findByRole('list', { name: 'timeline' });
    expect(
      within(timeline).getByLabelText('Pull request opened: done'),
    ).toBeInTheDocument();
    expect(
      within(timeline).getByLabelText('Approved: not yet'),
    ).toBeInTheDocument();
    expect(
      within(timeline).getByLabelText(
        'Synced by Argo CD in us-west-2: not yet',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('@platform-team')).toBeInTheDocument();
    // The policy's own results, rules the request passed included, each with its outcome.
    const policy = screen.getByText(
      '✓ region: regions us-west-2, europe-west1 are known, each chosen once',
    );
    expect(policy.nextSibling).toHaveTextContent('passed');
    expect(
      screen.getByText(/^✓ rollout: canary rollout: 5% → 10 min/),
    ).toBeInTheDocument();
    expect(screen.getByText(/^✓ quota: 8 GPUs at most/)).toBeInTheDocument();
    expect(
      screen.getByText('+  cloudProvider: aws', { normalizer: s => s }),
    ).toBeInTheDocument();
  });

  it('approves as the signed-in person with their GitHub token, and reloads', async () => {
    let review: { body: unknown; token: string | null } | undefined;
    let approved = false;
    server.use(
      http.get(`${API}/requests/7`, () =>
        HttpResponse.json(
          approved
            ? requestDetail({
                progress: { state: 'approved', timeline: [] },
                reviews: [
                  {
                    id: 1,
                    user: 'lena-fischer',
                    state: 'APPROVED',
                    submittedAt: '2026-11-24T09:30:00Z',
                    commitId: 'c'.repeat(40),
                  },
                ],
              })
            : requestDetail(),
        ),
      ),
      http.post(`${API}/requests/7/reviews`, async ({ request }) => {
        review = {
          body: await request.json(),
          token: request.headers.get('x-github-token'),
        };
        approved = true;
        return HttpResponse.json(requestDetail(), { status: 201 });
      }),
    );
    await renderWithOmniVisionApi(<DeploymentRequestPage />, at);
    await userEvent.type(await screen.findByLabelText('Comment'), 'LGTM');
    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('Approved.')).toBeInTheDocument();
    expect(review).toEqual({
      body: { event: 'APPROVE', body: 'LGTM' },
      token: GITHUB_TOKEN,
    });
    expect(
      await screen.findByText('lena-fischer: approved'),
    ).toBeInTheDocument();
  });

  it("shows the server's refusal, such as approving one's own request", async () => {
    server.use(
      http.get(`${API}/requests/7`, () => HttpResponse.json(requestDetail())),
      http.post(`${API}/requests/7/reviews`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'you cannot review your own deployment request',
            },
            // Backstage's error body, as the backend answers it.
            request: {
              method: 'POST',
              url: '/api/omnivision/requests/7/reviews',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderWithOmniVisionApi(<DeploymentRequestPage />, at);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve' }),
    );
    expect(
      await screen.findByText('you cannot review your own deployment request'),
    ).toBeInTheDocument();
  });

  it("shows the approval gate's verdict on the head, once", async () => {
    const description =
      "Waiting for a code owner other than maya-chen to approve abc1234 (the requester's own approval does not count)";
    server.use(
      http.get(`${API}/requests/7`, () =>
        HttpResponse.json(
          requestDetail({
            headSha: `abc1234${'0'.repeat(33)}`,
            approval: {
              state: 'pending',
              sha: `abc1234${'0'.repeat(33)}`,
              description,
              changesRequestedBy: [],
            },
            checks: [
              {
                context: 'omnivision/approval',
                state: 'pending',
                description,
              },
              { context: 'ci/lint', state: 'success' },
            ],
          }),
        ),
      ),
    );
    await renderWithOmniVisionApi(<DeploymentRequestPage />, at);
    const gate = await screen.findByRole('region', { name: 'Approval gate' });
    expect(gate).toHaveTextContent('Not approved yet');
    expect(gate).toHaveTextContent(description);
    expect(gate).toHaveTextContent(
      "omnivision/approval is pending on abc1234: main's branch protection holds the merge until it passes.",
    );
    const checks = screen.getByRole('region', { name: 'Checks and policy' });
    expect(within(checks).getByText('ci/lint: success')).toBeInTheDocument();
    expect(
      within(checks).queryByText(/omnivision\/approval/),
    ).not.toBeInTheDocument();
  });

  it('shows a failed rollout as a failure, in red, not as a step done', async () => {
    server.use(
      http.get(`${API}/requests/7`, () =>
        HttpResponse.json(
          requestDetail({
            progress: {
              state: 'failed',
              timeline: [
                { stage: 'merged', done: true },
                { stage: 'synced', region: 'us-west-2', done: true },
                { stage: 'healthy', region: 'us-west-2', done: false },
                {
                  stage: 'failed',
                  region: 'us-west-2',
                  done: true,
                  detail: 'Rollout Degraded: canary pods crash',
                },
              ],
            },
          }),
        ),
      ),
    );
    await renderWithOmniVisionApi(<DeploymentRequestPage />, at);
    const failure = await screen.findByLabelText(
      'Rollout failed in us-west-2: failed',
    );
    expect(failure).toHaveTextContent('Rollout Degraded: canary pods crash');
    expect(
      within(failure).getByTestId('ErrorIcon').getAttribute('class'),
    ).toMatch(/MuiSvgIcon-colorError/);
    expect(
      within(failure).queryByTestId('CheckCircleIcon'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByLabelText('Healthy in us-west-2: not yet'),
    ).toBeInTheDocument();
    // The request's state chip, red as well.
    expect(
      screen.getByText('failed').closest('[class*="MuiChip-root"]')?.className,
    ).toMatch(/MuiChip-colorError/);
  });

  it('moves to merged when the backend signals that this request changed, without polling', async () => {
    const signals = new MockSignalApi();
    let merged = false;
    let reads = 0;
    server.use(
      http.get(`${API}/requests/7`, () => {
        reads++;
        return HttpResponse.json(
          merged
            ? requestDetail({
                progress: {
                  state: 'merged',
                  timeline: [{ stage: 'merged', done: true }],
                },
              })
            : requestDetail(),
        );
      }),
    );
    await renderWithOmniVisionApi(<DeploymentRequestPage />, {
      ...at,
      signals,
    });
    expect(await screen.findByText('awaiting review')).toBeInTheDocument();
    expect(reads).toBe(1);

    merged = true;
    const signal = (pullRequestNumber: number): RequestChangedSignal => ({
      pullRequestNumber,
      state: 'merged',
      updatedAt: '2026-11-24T10:00:00Z',
    });
    // Another request's change: this page does not read again.
    signals.publish(REQUESTS_SIGNAL_CHANNEL, signal(8));
    expect(reads).toBe(1);

    signals.publish(REQUESTS_SIGNAL_CHANNEL, signal(7));
    expect(await screen.findByText('merged')).toBeInTheDocument();
    expect(screen.getByLabelText('Merged: done')).toBeInTheDocument();
    expect(reads).toBe(2);
  });
});
