import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { FLEET_SIGNAL_CHANNEL } from '@internal/plugin-omnivision-common';
import { MockSignalApi } from '@internal/plugin-omnivision-react/testUtils';
import { neverAnswering } from '../../__testUtils__/backendAnswers';
import { FleetOverviewPage } from './FleetOverviewPage';
import { clusterFixture } from '../../__testUtils__/fleetFixtures';
import {
  API,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';

describe('FleetOverviewPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows progress until the fleet answers', async () => {
    server.use(neverAnswering('/fleet'));
    await renderWithOmniVisionApi(<FleetOverviewPage />);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    server.use(
      http.get(`${API}/fleet`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'reading the fleet status is not allowed',
            },
          },
          { status: 403 },
        ),
      ),
    );
    await renderWithOmniVisionApi(<FleetOverviewPage />);
    expect(
      await screen.findByText(/reading the fleet status is not allowed/),
    ).toBeInTheDocument();
  });

  it('says how to configure regions when there are none', async () => {
    server.use(
      http.get(`${API}/fleet`, () =>
        HttpResponse.json({
          generatedAt: new Date().toISOString(),
          clusters: [],
        }),
      ),
    );
    await renderWithOmniVisionApi(<FleetOverviewPage />);
    expect(
      await screen.findByText('No regions configured'),
    ).toBeInTheDocument();
  });

  it('shows one card per region, and a banner naming the region that is down', async () => {
    server.use(
      http.get(`${API}/fleet`, () =>
        HttpResponse.json({
          generatedAt: new Date().toISOString(),
          clusters: [
            clusterFixture('eks-us-west-2', 'us-west-2', {
              health: {
                reachable: false,
                synced: true,
                stale: true,
                dataAgeSeconds: 3,
                lastContact: new Date(Date.now() - 95_000).toISOString(),
                error: 'ECONNREFUSED',
                resourceErrors: [],
              },
            }),
            clusterFixture('gke-europe-west1', 'europe-west1'),
          ],
        }),
      ),
    );
    await renderWithOmniVisionApi(<FleetOverviewPage />);
    const banner = await screen.findByRole('alert');
    expect(banner).toHaveTextContent('Region down: us-west-2');
    expect(banner).toHaveTextContent(
      'europe-west1 (22 free GPUs) still serves its users',
    );
    const west = screen.getByRole('region', { name: 'region us-west-2' });
    expect(within(west).getByText('Down · data 2 min old')).toBeInTheDocument();
    const europe = screen.getByRole('region', { name: 'region europe-west1' });
    expect(within(europe).getByText('Reachable')).toBeInTheDocument();
    expect(
      within(europe).getByText(
        '27 / 27 nodes ready · 24 GPU nodes · 0 pending GPU pods',
      ),
    ).toBeInTheDocument();
    expect(
      within(europe).getByLabelText('A10G: 18 of 40 requested, 22 free'),
    ).toBeInTheDocument();
    expect(
      within(europe).getByLabelText(
        'A100-SXM4-40GB MIG 1g.5gb: 7 of 56 requested, 49 free',
      ),
    ).toBeInTheDocument();
    expect(
      within(europe).getByText('Headroom 20% (target 20%)'),
    ).toBeInTheDocument();
    expect(
      within(europe).getByText('24 ready GPU nodes (baseline 20)'),
    ).toBeInTheDocument();
    expect(
      within(europe).getByRole('link', { name: 'gke-europe-west1' }),
    ).toHaveAttribute('href', '/fleet/clusters/gke-europe-west1');
  });

  it('shows a region going down when the backend signals it, without polling', async () => {
    const signals = new MockSignalApi();
    let down = false;
    let reads = 0;
    server.use(
      http.get(`${API}/fleet`, () => {
        reads++;
        const west = clusterFixture('eks-us-west-2', 'us-west-2');
        const health = { ...west.health, reachable: false, stale: true };
        return HttpResponse.json({
          generatedAt: new Date().toISOString(),
          clusters: [
            down ? { ...west, health } : west,
            clusterFixture('gke-europe-west1', 'europe-west1'),
          ],
        });
      }),
    );
    await renderWithOmniVisionApi(<FleetOverviewPage />, {
      signals,
      config: { omnivision: { fleetPages: { fallbackPollSeconds: 0 } } },
    });
    expect(
      await screen.findByRole('region', { name: 'region us-west-2' }),
    ).toHaveTextContent('Reachable');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    down = true;
    signals.publish(FLEET_SIGNAL_CHANNEL, {
      clusters: ['eks-us-west-2'],
      changedAt: new Date().toISOString(),
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Region down: us-west-2',
    );
    expect(reads).toBe(2);
  });
});
