import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
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
});
