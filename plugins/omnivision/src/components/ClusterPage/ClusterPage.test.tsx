import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  FLEET_SIGNAL_CHANNEL,
  type FleetChangedSignal,
} from '@internal/plugin-omnivision-common';
import { MockSignalApi } from '@internal/plugin-omnivision-react/testUtils';
import { neverAnswering } from '../../__testUtils__/backendAnswers';
import { ClusterPage } from './ClusterPage';
import { clusterDetailFixture } from '../../__testUtils__/fleetFixtures';
import {
  API,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';

const at = {
  mountPath: '/fleet/clusters/:name',
  initialRouteEntries: ['/fleet/clusters/eks-us-west-2'],
};

describe('ClusterPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows progress until the cluster answers', async () => {
    server.use(neverAnswering('/clusters/eks-us-west-2'));
    await renderWithOmniVisionApi(<ClusterPage />, at);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows the 404 of an unknown cluster', async () => {
    server.use(
      http.get(`${API}/clusters/eks-us-west-2`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'no cluster named eks-us-west-2',
            },
          },
          { status: 404 },
        ),
      ),
    );
    await renderWithOmniVisionApi(<ClusterPage />, at);
    expect(
      await screen.findByText(/no cluster named eks-us-west-2/),
    ).toBeInTheDocument();
  });

  it('says so when a cluster has nothing pending and no model deployed', async () => {
    server.use(
      http.get(`${API}/clusters/eks-us-west-2`, () =>
        HttpResponse.json({
          ...clusterDetailFixture('eks-us-west-2'),
          pendingGpuPods: [],
          deployments: [],
        }),
      ),
    );
    await renderWithOmniVisionApi(<ClusterPage />, at);
    expect(
      await screen.findByText('None: every GPU pod has a node.'),
    ).toBeInTheDocument();
    expect(screen.getByText('No model deployed.')).toBeInTheDocument();
  });

  it('lists GPU nodes, pending pods, compliance evidence and deployments', async () => {
    server.use(
      http.get(`${API}/clusters/eks-us-west-2`, () =>
        HttpResponse.json(clusterDetailFixture('eks-us-west-2')),
      ),
    );
    await renderWithOmniVisionApi(<ClusterPage />, at);
    const nodes = await screen.findByRole('table', { name: 'GPU nodes' });
    const rows = within(nodes).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('ip-10-0-0-1A10G431 (1 GPUs)Ready');
    expect(rows[2]).toHaveTextContent('NotReady, cordoned, DiskPressure=True');
    expect(
      screen.getByText('warm-pool/gpu-placeholder-9 (placeholder)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('omnivision/legacy sets mTLS PERMISSIVE'),
    ).toBeInTheDocument();
    const deployment = screen.getByRole('row', {
      name: 'deployment of vidgen-xl in eks-us-west-2',
    });
    expect(deployment).toHaveTextContent('step 1 of 4 · 5%');
    expect(deployment).toHaveTextContent('Synced · Progressing');
  });

  it('reads the cluster again, conditionally, when a signal names it, and only then', async () => {
    const signals = new MockSignalApi();
    let down = false;
    const conditions: Array<string | null> = [];
    server.use(
      http.get(`${API}/clusters/eks-us-west-2`, ({ request }) => {
        const condition = request.headers.get('if-none-match');
        conditions.push(condition);
        const etag = down ? '"2"' : '"1"';
        if (condition === etag) {
          return new HttpResponse(null, { status: 304, headers: { etag } });
        }
        const cluster = clusterDetailFixture('eks-us-west-2');
        const health = {
          ...cluster.health,
          reachable: false,
          stale: true,
          lastContact: new Date(Date.now() - 12_000).toISOString(),
        };
        return HttpResponse.json(down ? { ...cluster, health } : cluster, {
          headers: { etag },
        });
      }),
    );
    await renderWithOmniVisionApi(<ClusterPage />, {
      ...at,
      signals,
      config: { omnivision: { fleetPages: { fallbackPollSeconds: 0 } } },
    });
    expect(await screen.findByText('Reachable')).toBeInTheDocument();

    down = true;
    const changed = (...clusters: string[]): FleetChangedSignal => ({
      clusters,
      changedAt: new Date().toISOString(),
    });
    // Another cluster's change: nothing to read.
    signals.publish(FLEET_SIGNAL_CHANNEL, changed('gke-europe-west1'));
    signals.publish(
      FLEET_SIGNAL_CHANNEL,
      changed('gke-europe-west1', 'eks-us-west-2'),
    );
    expect(
      await screen.findByText(/^Down · data 1\d s old$/),
    ).toBeInTheDocument();
    expect(conditions).toEqual([null, '"1"']);
  });
});
