import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { heldAnswer } from '../../__testUtils__/heldAnswer';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ModelDeploymentsContent } from './ModelDeploymentsContent';
import {
  API,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';
import { requestSummary } from '../../__testUtils__/requestFixtures';

const model = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'vidgen-xl' },
  spec: { type: 'ai-model', owner: 'data-science' },
};

const render = () =>
  renderWithOmniVisionApi(
    <EntityProvider entity={model}>
      <ModelDeploymentsContent />
    </EntityProvider>,
  );

describe('ModelDeploymentsContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const requestQueries: string[] = [];
  beforeEach(() => {
    requestQueries.length = 0;
    server.use(
      http.get(`${API}/requests`, ({ request }) => {
        requestQueries.push(new URL(request.url).search);
        return HttpResponse.json({ items: [] });
      }),
    );
  });

  it('shows progress, then the error of a failing backend', async () => {
    const held = heldAnswer();
    server.use(
      http.get(`${API}/models/vidgen-xl/deployments`, async () => {
        await held.released;
        return HttpResponse.json(
          { error: { name: 'Error', message: 'down' } },
          { status: 502 },
        );
      }),
    );
    await render();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    held.release();
    expect(await screen.findByText(/down/)).toBeInTheDocument();
  });

  it('says when the model is deployed nowhere', async () => {
    server.use(
      http.get(`${API}/models/vidgen-xl/deployments`, () =>
        HttpResponse.json({ model: 'vidgen-xl', deployments: [] }),
      ),
    );
    await render();
    expect(await screen.findByText('No model deployed.')).toBeInTheDocument();
  });

  it('shows the canary of each region, and warns of a region that cannot be reached', async () => {
    const deployment = (
      region: string,
      cluster: string,
      stale: boolean,
      step: number,
      weight: number,
    ) => ({
      model: 'vidgen-xl',
      cluster,
      region,
      cloud: 'aws',
      stale,
      rolloutPhase: step === 4 ? 'Healthy' : 'Progressing',
      canaryStep: step,
      canarySteps: 4,
      canaryWeight: weight,
      readyReplicas: 4,
      replicas: 4,
      syncStatus: 'Synced',
      healthStatus: step === 4 ? 'Healthy' : 'Progressing',
      revision: '0123456789',
    });
    server.use(
      http.get(`${API}/models/vidgen-xl/deployments`, () =>
        HttpResponse.json({
          model: 'vidgen-xl',
          deployments: [
            deployment('us-west-2', 'eks-us-west-2', false, 2, 50),
            deployment('europe-west1', 'gke-europe-west1', true, 4, 100),
          ],
        }),
      ),
    );
    await render();
    expect(
      await screen.findByRole('row', {
        name: 'deployment of vidgen-xl in us-west-2',
      }),
    ).toHaveTextContent(
      'us-west-2 (eks-us-west-2)Progressingstep 2 of 4 · 50%4 / 4Synced · Progressing0123456',
    );
    expect(
      screen.getByRole('row', {
        name: 'deployment of vidgen-xl in europe-west1',
      }),
    ).toHaveTextContent('Healthy');
    expect(
      screen.getByText(
        'Some regions cannot be reached: their figures are the last known ones.',
      ),
    ).toBeInTheDocument();
  });

  it('links the pull requests that changed the model, with where each stands', async () => {
    server.use(
      http.get(`${API}/models/vidgen-xl/deployments`, () =>
        HttpResponse.json({ model: 'vidgen-xl', deployments: [] }),
      ),
      http.get(`${API}/requests`, ({ request }) => {
        requestQueries.push(new URL(request.url).search);
        return HttpResponse.json({
          items: [
            requestSummary({ progress: { state: 'merged', timeline: [] } }),
          ],
        });
      }),
    );
    await render();
    const table = await screen.findByRole('table', { name: 'pull requests' });
    expect(within(table).getByRole('link', { name: /#7/ })).toHaveAttribute(
      'href',
      'http://127.0.0.1:7010/omnivision-ai/omnivision-gitops/pull/7',
    );
    expect(
      within(table).getByRole('link', { name: 'timeline' }),
    ).toHaveAttribute('href', '/deployments/7');
    expect(within(table).getByText('merged')).toBeInTheDocument();
    expect(requestQueries).toContain('?filter=all&model=vidgen-xl');
  });
});
