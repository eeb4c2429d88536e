import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { RegionPicker } from './RegionPicker';
import { API, clusterWith, renderField } from '../../__testUtils__/renderField';

describe('RegionPicker', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it("shows each region's reachability and toggles regions", async () => {
    server.use(
      http.get(`${API}/fleet`, () =>
        HttpResponse.json({
          generatedAt: '2026-11-24T08:00:00Z',
          clusters: [
            clusterWith('eks-us-west-2', false, []),
            clusterWith('gke-europe-west1', true, []),
          ],
        }),
      ),
    );
    const onChange = jest.fn();
    await renderField(
      <RegionPicker
        {...({
          formData: ['us-west-2'],
          onChange,
          schema: { title: 'Regions' },
          uiSchema: {},
          rawErrors: [],
        } as any)}
      />,
    );
    expect(await screen.findByText('down')).toBeInTheDocument();
    expect(screen.getByText('reachable')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('checkbox', { name: /europe-west1/ }),
    );
    expect(onChange).toHaveBeenLastCalledWith(['us-west-2', 'europe-west1']);
    await userEvent.click(screen.getByRole('checkbox', { name: /us-west-2/ }));
    expect(onChange).toHaveBeenLastCalledWith([]);
  });

  it('still lets a person choose when the fleet cannot be read', async () => {
    server.use(
      http.get(`${API}/fleet`, () => HttpResponse.json({}, { status: 503 })),
    );
    await renderField(
      <RegionPicker
        {...({
          formData: [],
          onChange: jest.fn(),
          schema: {},
          uiSchema: {},
        } as any)}
      />,
    );
    expect(await screen.findAllByText('checking…')).toHaveLength(2);
    expect(screen.getByRole('checkbox', { name: /us-west-2/ })).toBeEnabled();
  });

  it('drops the empty item the form fills an array with up to minItems', async () => {
    server.use(
      http.get(`${API}/fleet`, () => HttpResponse.json({}, { status: 503 })),
    );
    const onChange = jest.fn();
    await renderField(
      <RegionPicker
        {...({
          formData: [undefined],
          onChange,
          schema: {},
          uiSchema: {},
        } as any)}
      />,
    );
    await userEvent.click(screen.getByRole('checkbox', { name: /us-west-2/ }));
    expect(onChange).toHaveBeenLastCalledWith(['us-west-2']);
  });
});
