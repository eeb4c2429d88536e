import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SWRConfig } from 'swr';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { heldAnswer } from '../../__testUtils__/heldAnswer';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { RegionalModelDeployment } from '@internal/plugin-omnivision-common';
import { regionalDeploymentFixture } from '@internal/plugin-omnivision-common/testUtils';
import { ModelDeploymentsContent } from './ModelDeploymentsContent';
import {
  API,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';
import { requestSummary } from '../../__testUtils__/requestFixtures';

const digest = (hex: string) => `sha256:${hex.repeat(64)}`;
const REPO = 'registry.omnivision.ai/models/vidgen-xl';

const model = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'vidgen-xl', namespace: 'default' },
  spec: {
    type: 'ai-model',
    owner: 'data-science',
    model: {
      versions: [
        {
          version: '2.1.0',
          imageDigest: digest('b'),
          signed: true,
          releasedAt: '2026-10-02T09:00:00Z',
        },
        {
          version: '2.0.0',
          imageDigest: digest('a'),
          signed: true,
          releasedAt: '2026-07-15T09:00:00Z',
        },
      ],
    },
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/data-science' }],
};

const MAYA = ['user:default/maya-chen', 'group:default/data-science'];
const LENA = ['user:default/lena-fischer', 'group:default/platform-team'];

/** The tab as someone of these groups sees it, holding `omnivision.rollout.control` or not. */
const render = (
  options: { ownership?: string[]; controlsCanary?: boolean } = {},
) =>
  renderWithOmniVisionApi(
    // A cache of permission decisions of its own (usePermission keeps them in SWR's).
    <SWRConfig value={{ provider: () => new Map() }}>
      <EntityProvider entity={model}>
        <ModelDeploymentsContent />
      </EntityProvider>
    </SWRConfig>,
    {
      apis: [
        mockApis.identity({
          userEntityRef: (options.ownership ?? LENA)[0],
          ownershipEntityRefs: options.ownership ?? LENA,
        }),
        mockApis.permission({
          authorize: request =>
            request.permission.name === 'omnivision.rollout.control' &&
            options.controlsCanary
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }),
      ],
    },
  );

const regional = (
  region: string,
  overrides: Partial<RegionalModelDeployment> = {},
) =>
  regionalDeploymentFixture('vidgen-xl', region, {
    revision: '0123456789',
    wantedImage: `${REPO}@${digest('a')}`,
    stableImage: `${REPO}@${digest('a')}`,
    ...overrides,
  });

/** vidgen-xl's update to 2.1.0 aborted by its analysis in us-west-2; 2.0.0 in europe-west1. */
const ABORTED = [
  regional('us-west-2', {
    rolloutPhase: 'Degraded',
    healthStatus: 'Degraded',
    canaryStep: 1,
    canaryWeight: 0,
    wantedImage: `${REPO}@${digest('b')}`,
    canaryImage: `${REPO}@${digest('b')}`,
    analysis: {
      run: 'vidgen-xl-7d9f-1',
      template: 'gpu-health-check',
      phase: 'Failed',
      metric: 'cuda-errors',
      query:
        'sum(rate(DCGM_FI_DEV_XID_ERRORS{pod=~"vidgen-xl-7d9f.*"}[1m])) * 60',
      value: '[50]',
      condition: 'result[0] > 0',
      message: 'Metric "cuda-errors" assessed Failed',
    },
    abortReason: 'gpu-health-check failed at step 1: [50] breaks result[0] > 0',
    drift: 'Git wants 2.1.0, the cluster runs 2.0.0',
  }),
  regional('europe-west1'),
];

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
      'us-west-2 (eks-us-west-2)———Progressingstep 2 of 4 · 50%4 / 4Synced · Progressing0123456',
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

  describe('what runs, and why a canary stopped', () => {
    beforeEach(() => {
      server.use(
        http.get(`${API}/models/vidgen-xl/deployments`, () =>
          HttpResponse.json({ model: 'vidgen-xl', deployments: ABORTED }),
        ),
      );
    });

    it("maps the images to the model's versions, and shows the failed analysis with its evidence, the abort and the drift", async () => {
      await render({ ownership: MAYA });
      const us = await screen.findByRole('row', {
        name: 'deployment of vidgen-xl in us-west-2',
      });
      expect(
        within(us).getByRole('cell', { name: 'git wants' }),
      ).toHaveTextContent('2.1.0');
      expect(
        within(us).getByRole('cell', { name: 'stable' }),
      ).toHaveTextContent('2.0.0');
      expect(
        within(us).getByRole('cell', { name: 'canary image' }),
      ).toHaveTextContent('2.1.0');
      expect(us).toHaveTextContent('Degraded');
      expect(us).toHaveTextContent('step 1 of 4 · 0%');

      const details = screen.getByRole('row', {
        name: 'details of vidgen-xl in us-west-2',
      });
      expect(within(details).getByRole('alert')).toHaveTextContent(
        'Canary aborted: gpu-health-check failed at step 1: [50] breaks result[0] > 0',
      );
      const analysis = within(details).getByLabelText('last analysis');
      expect(analysis).toHaveTextContent(
        'Analysis gpu-health-check · cuda-errorsFailed',
      );
      expect(analysis).toHaveTextContent(
        'query sum(rate(DCGM_FI_DEV_XID_ERRORS{pod=~"vidgen-xl-7d9f.*"}[1m])) * 60',
      );
      expect(analysis).toHaveTextContent(
        'value [50] · condition result[0] > 0',
      );
      expect(details).toHaveTextContent(
        'Drift: Git wants 2.1.0, the cluster runs 2.0.0',
      );
      // The region that runs what Git wants has nothing to explain.
      expect(
        screen.queryByRole('row', {
          name: 'details of vidgen-xl in europe-west1',
        }),
      ).toBeNull();
    });

    it("offers the model's owners update, roll back and retire, prefilled, and the rollback of an aborted region", async () => {
      // What ran healthy last (#5, a100-40gb-2 × 2–4) prefills an update; a newer failed update
      // (#6) and anything older do not.
      const healthy = { state: 'healthy' as const, timeline: [] };
      server.use(
        http.get(`${API}/requests`, () =>
          HttpResponse.json({
            items: [
              requestSummary({
                pullRequestNumber: 6,
                gpuProfile: 'a100-40gb-8',
                createdAt: '2026-11-26T09:00:00.000Z',
                progress: { state: 'failed', timeline: [] },
              }),
              requestSummary({
                pullRequestNumber: 5,
                kind: 'rollback',
                gpuProfile: 'a100-40gb-2',
                minReplicas: 2,
                maxReplicas: 4,
                rollout: 'direct',
                createdAt: '2026-11-25T09:00:00.000Z',
                progress: healthy,
              }),
              requestSummary({
                pullRequestNumber: 4,
                createdAt: '2026-11-24T09:00:00.000Z',
                progress: healthy,
              }),
            ],
          }),
        ),
      );
      await render({ ownership: MAYA });
      const actions = await screen.findByLabelText('model actions');
      const formData = (name: string) =>
        JSON.parse(
          new URL(
            within(actions).getByRole('link', { name }).getAttribute('href')!,
            'http://localhost',
          ).searchParams.get('formData')!,
        );
      expect(
        within(actions).getByRole('link', { name: 'Update' }),
      ).toHaveAttribute(
        'href',
        expect.stringMatching(
          /^\/create\/templates\/default\/deploy-model\?formData=/,
        ),
      );
      await waitFor(() =>
        expect(formData('Update')).toEqual({
          model: 'resource:default/vidgen-xl',
          gpuProfile: 'a100-40gb-2',
          minReplicas: 2,
          maxReplicas: 4,
          rollout: 'direct',
          regions: ['us-west-2', 'europe-west1'],
        }),
      );
      expect(
        within(actions).getByRole('link', { name: 'Roll back' }),
      ).toHaveAttribute(
        'href',
        expect.stringMatching(
          /^\/create\/templates\/default\/rollback-model\?/,
        ),
      );
      expect(formData('Roll back')).toEqual({
        model: 'resource:default/vidgen-xl',
        regions: ['us-west-2', 'europe-west1'],
      });
      expect(formData('Retire')).toEqual({
        model: 'resource:default/vidgen-xl',
        regions: ['us-west-2', 'europe-west1'],
      });
      const rollback = within(
        screen.getByRole('row', { name: 'details of vidgen-xl in us-west-2' }),
      ).getByRole('link', { name: 'Roll back us-west-2' });
      const href = new URL(rollback.getAttribute('href')!, 'http://localhost');
      expect(href.pathname).toBe('/create/templates/default/rollback-model');
      expect(JSON.parse(href.searchParams.get('formData')!)).toEqual({
        model: 'resource:default/vidgen-xl',
        regions: ['us-west-2'],
      });
      // Canary control is the platform team's.
      expect(screen.queryByRole('button', { name: 'Promote' })).toBeNull();
    });

    it('offers no model actions to someone who does not own the model', async () => {
      await render({
        ownership: ['user:default/sam', 'group:default/avatar-team'],
      });
      await screen.findByRole('row', {
        name: 'deployment of vidgen-xl in us-west-2',
      });
      expect(screen.queryByLabelText('model actions')).toBeNull();
      expect(screen.queryByRole('link', { name: /Roll back/ })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Promote' })).toBeNull();
    });

    it("gives the platform team promote, pause, resume and abort, and shows the server's answer", async () => {
      const posted: Array<{ region: string; body: unknown }> = [];
      server.use(
        http.post(
          `${API}/models/vidgen-xl/rollouts/:region`,
          async ({ request, params }) => {
            posted.push({
              region: String(params.region),
              body: await request.json(),
            });
            if (params.region === 'europe-west1')
              return HttpResponse.json(
                {
                  error: {
                    name: 'NotFoundError',
                    message:
                      'vidgen-xl is not deployed in europe-west1: no Rollout',
                  },
                  request: { method: 'POST', url: '/' },
                  response: { statusCode: 404 },
                },
                { status: 404 },
              );
            return HttpResponse.json({ action: 'pause' });
          },
        ),
      );
      await render({ ownership: LENA, controlsCanary: true });
      const us = await screen.findByRole('group', {
        name: 'canary of vidgen-xl in us-west-2',
      });
      expect(
        within(us)
          .getAllByRole('button')
          .map(b => b.textContent),
      ).toEqual(['Promote', 'Abort', 'Pause', 'Resume']);
      // lena is not an owner of the model.
      expect(screen.queryByLabelText('model actions')).toBeNull();

      await userEvent.click(within(us).getByRole('button', { name: 'Pause' }));
      expect(
        await screen.findByText('Pause sent to us-west-2'),
      ).toBeInTheDocument();

      const eu = screen.getByRole('group', {
        name: 'canary of vidgen-xl in europe-west1',
      });
      await userEvent.click(
        within(eu).getByRole('button', { name: 'Promote' }),
      );
      expect(
        await screen.findByText(
          'vidgen-xl is not deployed in europe-west1: no Rollout',
        ),
      ).toBeInTheDocument();
      expect(posted).toEqual([
        { region: 'us-west-2', body: { action: 'pause' } },
        { region: 'europe-west1', body: { action: 'promote' } },
      ]);
    });
  });
});
