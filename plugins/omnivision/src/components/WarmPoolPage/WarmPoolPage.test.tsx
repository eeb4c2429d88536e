import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { neverAnswering } from '../../__testUtils__/backendAnswers';
import { WarmPoolPage } from './WarmPoolPage';
import { clusterFixture } from '../../__testUtils__/fleetFixtures';
import {
  API,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';

describe('WarmPoolPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows progress until the fleet answers', async () => {
    server.use(neverAnswering('/fleet'));
    await renderWithOmniVisionApi(<WarmPoolPage />);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error of a failing backend', async () => {
    server.use(
      http.get(`${API}/fleet`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'no fleet' } },
          { status: 503 },
        ),
      ),
    );
    await renderWithOmniVisionApi(<WarmPoolPage />);
    expect(await screen.findByText(/no fleet/)).toBeInTheDocument();
  });

  it('shows each cluster: an exhausted buffer, the baseline, schedules, and a history not yet recorded', async () => {
    const exhausted = clusterFixture('eks-us-west-2', 'us-west-2');
    exhausted.warmPool = {
      ...exhausted.warmPool,
      placeholdersRunning: 3,
      placeholdersPending: 5,
      placeholderGpus: 3,
      headroom: 0.075,
      meetsHeadroomTarget: false,
      readyGpuNodes: 18,
      meetsBaseline: false,
      bufferExhausted: true,
    };
    server.use(
      http.get(`${API}/fleet`, () =>
        HttpResponse.json({
          generatedAt: '2026-11-24T08:00:00Z',
          clusters: [exhausted],
        }),
      ),
      http.get(`${API}/history`, ({ request }) => {
        const url = new URL(request.url);
        return HttpResponse.json({
          cluster: url.searchParams.get('cluster'),
          metric: url.searchParams.get('metric'),
          from: url.searchParams.get('from'),
          to: '2026-11-24T08:00:00Z',
          points: [],
        });
      }),
    );
    await renderWithOmniVisionApi(<WarmPoolPage />);
    const card = await screen.findByRole('region', {
      name: 'warm pool of eks-us-west-2',
    });
    expect(
      await within(card).findByText(
        'No history yet: a point is recorded every minute.',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByText('Headroom 8% (target 20%)'),
    ).toBeInTheDocument();
    expect(within(card).getByText('below target')).toBeInTheDocument();
    expect(
      within(card).getByText(
        /3 of 40 GPUs held by 3 placeholders · 5 pending \(buffer exhausted\)/,
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByText('18 ready GPU nodes (baseline 20)'),
    ).toBeInTheDocument();
    const schedules = within(card).getByRole('table', {
      name: 'scale schedules',
    });
    expect(schedules).toHaveTextContent('gpu-scale-up-08000 8 * * *100');
    // 16:00 UTC is 08:00 in Los Angeles: the run reads in the CronJob's own zone.
    expect(schedules).toHaveTextContent(
      /25 Nov.* 08:00 \(America\/Los_Angeles\)/,
    );
  });
});
