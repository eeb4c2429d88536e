import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { REQUESTS_SIGNAL_CHANNEL } from '@internal/plugin-omnivision-common';
import { MockSignalApi } from '@internal/plugin-omnivision-react/testUtils';
import { DeploymentRequestsPage } from './DeploymentRequestsPage';
import {
  API,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';
import { requestSummary } from '../../__testUtils__/requestFixtures';

describe('DeploymentRequestsPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists requests with where each stands, by whose and by state', async () => {
    const filters: string[] = [];
    server.use(
      http.get(`${API}/requests`, ({ request }) => {
        const filter = new URL(request.url).searchParams.get('filter')!;
        filters.push(filter);
        return HttpResponse.json({
          items:
            filter === 'review'
              ? [requestSummary()]
              : [
                  requestSummary(),
                  requestSummary({
                    pullRequestNumber: 5,
                    model: 'resource:default/upscaler-4k',
                    progress: { state: 'healthy', timeline: [] },
                  }),
                ],
        });
      }),
    );
    await renderWithOmniVisionApi(<DeploymentRequestsPage />);
    const table = await screen.findByRole('table', {
      name: 'deployment requests',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByRole('link', { name: '#7' })).toHaveAttribute(
      'href',
      '/deployments/7',
    );
    expect(within(table).getByText('awaiting review')).toBeInTheDocument();
    expect(within(table).getByText('healthy')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Awaiting my review' }),
    );
    // Only the request awaiting review: the other one leaves the table.
    await waitFor(() => {
      expect(screen.getByText('vidgen-xl')).toBeInTheDocument();
      expect(screen.queryByText('upscaler-4k')).not.toBeInTheDocument();
    });
    expect(filters).toEqual(['all', 'review']);

    await userEvent.click(screen.getByRole('button', { name: 'All' }));
    await screen.findByText('upscaler-4k');
    await userEvent.click(screen.getByLabelText('State'));
    await userEvent.click(screen.getByRole('option', { name: 'healthy' }));
    expect(screen.queryByText('vidgen-xl')).not.toBeInTheDocument();
    expect(screen.getByText('upscaler-4k')).toBeInTheDocument();
  });

  it('says when nothing awaits review', async () => {
    server.use(
      http.get(`${API}/requests`, () => HttpResponse.json({ items: [] })),
    );
    await renderWithOmniVisionApi(<DeploymentRequestsPage />);
    expect(
      await screen.findByText('No deployment requests'),
    ).toBeInTheDocument();
  });

  it('lists a new request as soon as the backend signals a change', async () => {
    const signals = new MockSignalApi();
    let items = [requestSummary()];
    server.use(http.get(`${API}/requests`, () => HttpResponse.json({ items })));
    await renderWithOmniVisionApi(<DeploymentRequestsPage />, { signals });
    const table = await screen.findByRole('table', {
      name: 'deployment requests',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(2);

    items = [
      requestSummary({
        pullRequestNumber: 8,
        model: 'resource:default/upscaler-4k',
      }),
      ...items,
    ];
    signals.publish(REQUESTS_SIGNAL_CHANNEL, {
      pullRequestNumber: 8,
      state: 'awaiting-review',
      updatedAt: '2026-11-24T10:00:00Z',
    });
    expect(
      await within(table).findByRole('link', { name: '#8' }),
    ).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(3);
  });
});
