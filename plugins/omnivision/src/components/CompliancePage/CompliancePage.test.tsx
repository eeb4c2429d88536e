import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { heldAnswer } from '../../__testUtils__/heldAnswer';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { CompliancePage } from './CompliancePage';
import { complianceFixture } from '../../__testUtils__/fleetFixtures';
import {
  API,
  renderWithOmniVisionApi,
} from '../../__testUtils__/renderWithOmniVisionApi';

describe('CompliancePage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows progress, then the error, of a failing backend', async () => {
    const held = heldAnswer();
    server.use(
      http.get(`${API}/compliance`, async () => {
        await held.released;
        return HttpResponse.json(
          { error: { name: 'Error', message: 'boom' } },
          { status: 500 },
        );
      }),
    );
    await renderWithOmniVisionApi(<CompliancePage />);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    held.release();
    expect(await screen.findByText(/boom/)).toBeInTheDocument();
  });

  it('says when there are no clusters', async () => {
    server.use(
      http.get(`${API}/compliance`, () =>
        HttpResponse.json({
          generatedAt: '2026-11-24T08:00:00Z',
          clusters: [],
        }),
      ),
    );
    await renderWithOmniVisionApi(<CompliancePage />);
    expect(
      await screen.findByText('No regions configured'),
    ).toBeInTheDocument();
  });

  it('shows the clusters × controls matrix, and a failed cell opens its evidence', async () => {
    server.use(
      http.get(`${API}/compliance`, () =>
        HttpResponse.json(complianceFixture()),
      ),
    );
    await renderWithOmniVisionApi(<CompliancePage />);
    const matrix = await screen.findByRole('table', {
      name: 'compliance matrix',
    });
    expect(within(matrix).getAllByRole('row')).toHaveLength(3);
    expect(
      within(matrix).getByRole('button', {
        name: 'mtls on eks-us-west-2: pass',
      }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(matrix).getByRole('button', {
        name: 'vulnerabilities on gke-europe-west1: fail',
      }),
    );
    const evidence = await screen.findByRole('list', { name: 'evidence' });
    expect(evidence).toHaveTextContent('CVE-2026-0001 (CRITICAL) in openssl');
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'No High or Critical vulnerabilities (Trivy) on gke-europe-west1',
    );
  });
});
