import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  API,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';
import {
  matrixCellFixture,
  matrixFixture,
  matrixRowFixture,
} from '../../__testUtils__/modelFixtures';
import { ModelMatrixPage } from './ModelMatrixPage';

const vidgen = matrixRowFixture(
  'vidgen-xl',
  [
    matrixCellFixture('us-west-2', {
      health: 'degraded',
      rolloutPhase: 'Degraded',
      running: { digest: `sha256:${'a'.repeat(64)}`, version: '2.0.0' },
      wanted: { digest: `sha256:${'b'.repeat(64)}`, version: '2.1.0' },
      // Aborted: the canary's pods are gone, the stable version serves.
      canaryStep: 1,
      canaryWeight: 0,
      abortReason:
        'gpu-health-check failed at step 1: [50] breaks result[0] > 0',
      drift: 'Git wants 2.1.0, 2.0.0 runs',
      gpuCount: 2,
      hourlyCostUsd: 8.2,
    }),
    // Fully promoted: the last step at 100%, no update under way.
    matrixCellFixture('europe-west1', {
      hourlyCostUsd: 3.93,
      canaryWeight: 100,
      canary: { digest: `sha256:${'b'.repeat(64)}`, version: '2.1.0' },
    }),
  ],
  { health: 'degraded' },
);
const lipsync = matrixRowFixture(
  'lipsync',
  [
    // An update on its way: the canary at its second step.
    matrixCellFixture('us-west-2', {
      health: 'progressing',
      rolloutPhase: 'Paused',
      running: { digest: `sha256:${'e'.repeat(64)}` },
      canary: { digest: `sha256:${'f'.repeat(64)}`, version: '3.3.0' },
      canaryStep: 2,
      canaryWeight: 50,
    }),
    matrixCellFixture('europe-west1', {
      deployed: false,
      health: 'not-deployed',
      serving: false,
      gpuCount: 0,
      hourlyCostUsd: 0,
      running: undefined,
    }),
  ],
  { owner: 'group:default/avatar-team' },
);

describe('ModelMatrixPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows each model by region: version, health, canary, drift, GPUs and cost, and where it serves', async () => {
    server.use(
      http.get(`${API}/models`, () =>
        HttpResponse.json(matrixFixture([lipsync, vidgen])),
      ),
    );
    await renderWithOmniVisionApi(<ModelMatrixPage />);
    const table = await screen.findByRole('table', { name: 'model matrix' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Model',
      'Owner',
      'Serves from',
      'us-west-2',
      'europe-west1',
      'GPUs · cost',
    ]);

    const vidgenRow = within(table).getByRole('row', { name: 'vidgen-xl' });
    expect(
      within(vidgenRow).getByRole('link', { name: 'vidgen-xl' }),
    ).toHaveAttribute('href', '/catalog/default/resource/vidgen-xl');
    expect(within(vidgenRow).getByText('2 regions')).toBeInTheDocument();
    const us = within(vidgenRow).getByRole('cell', {
      name: 'vidgen-xl in us-west-2',
    });
    expect(us).toHaveTextContent('2.0.0');
    expect(us).toHaveTextContent('Degraded');
    expect(us).toHaveTextContent('Git wants 2.1.0');
    // An aborted update says why, not where its canary stood.
    expect(us).not.toHaveTextContent('canary');
    expect(us).toHaveTextContent(
      'aborted: gpu-health-check failed at step 1: [50] breaks result[0] > 0',
    );
    expect(us).toHaveTextContent('drift: Git wants 2.1.0, 2.0.0 runs');
    expect(us).toHaveTextContent('2 GPUs · $8.20/h');
    const eu = within(vidgenRow).getByRole('cell', {
      name: 'vidgen-xl in europe-west1',
    });
    expect(eu).toHaveTextContent('2.1.0Healthy');
    expect(eu).not.toHaveTextContent('canary');
    expect(within(vidgenRow).getAllByRole('cell').at(-1)).toHaveTextContent(
      '3 · $12.13/h',
    );

    const lipsyncRow = within(table).getByRole('row', { name: 'lipsync' });
    // Serves from one region only: cut that one off and it is gone.
    expect(within(lipsyncRow).getByText('Only us-west-2')).toBeInTheDocument();
    // A digest the catalog lists no version of shows as the digest.
    const lipsyncUs = within(lipsyncRow).getByRole('cell', {
      name: 'lipsync in us-west-2',
    });
    expect(lipsyncUs).toHaveTextContent('sha256:eeeeeee');
    expect(lipsyncUs).toHaveTextContent('canary 3.3.0 · step 2 of 4 · 50%');
    expect(
      within(lipsyncRow).getByRole('cell', { name: 'lipsync in europe-west1' }),
    ).toHaveTextContent('—');
    expect(
      within(lipsyncRow).getByRole('link', { name: /avatar-team/ }),
    ).toBeInTheDocument();
  });

  it('asks the backend for the team and health chosen', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${API}/models`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        const team = url.searchParams.get('team');
        const health = url.searchParams.get('health');
        return HttpResponse.json(
          matrixFixture(
            [lipsync, vidgen].filter(
              m =>
                (!team || m.owner === team) && (!health || m.health === health),
            ),
          ),
        );
      }),
    );
    await renderWithOmniVisionApi(<ModelMatrixPage />);
    const table = await screen.findByRole('table', { name: 'model matrix' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Team' }),
      'avatar-team',
    );
    expect(
      await screen.findByRole('row', { name: 'lipsync' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('row', { name: 'vidgen-xl' })).toBeNull();

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Health' }),
      'Degraded',
    );
    expect(
      await screen.findByText('No model matches the filters.'),
    ).toBeInTheDocument();
    expect(queries).toEqual([
      '',
      '?team=group%3Adefault%2Favatar-team',
      '?team=group%3Adefault%2Favatar-team&health=degraded',
    ]);
  });

  it('says when no region is configured', async () => {
    server.use(
      http.get(`${API}/models`, () =>
        HttpResponse.json({ ...matrixFixture([]), regions: [] }),
      ),
    );
    await renderWithOmniVisionApi(<ModelMatrixPage />);
    expect(
      await screen.findByText('No regions configured'),
    ).toBeInTheDocument();
  });
});
