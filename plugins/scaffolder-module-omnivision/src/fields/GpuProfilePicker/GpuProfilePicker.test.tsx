import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { GpuProfilePicker } from './GpuProfilePicker';
import { API, clusterWith, renderField } from '../../__testUtils__/renderField';

const fleet = {
  generatedAt: '2026-11-24T08:00:00Z',
  clusters: [
    clusterWith('eks-us-west-2', true, [
      { product: 'NVIDIA-A100-SXM4-40GB', free: 12 },
      { product: 'NVIDIA-A10G', free: 7 },
    ]),
    clusterWith('gke-europe-west1', true, [
      { product: 'NVIDIA-A100-SXM4-40GB', free: 9 },
    ]),
  ],
};

function field(regions: string[], onChange = jest.fn(), formData?: string) {
  return (
    <GpuProfilePicker
      {...({
        formData,
        onChange,
        schema: { title: 'GPU profile' },
        uiSchema: {},
        formContext: { formData: { regions } },
        rawErrors: [],
        required: true,
      } as any)}
    />
  );
}

describe('GpuProfilePicker', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  beforeEach(() =>
    server.use(http.get(`${API}/fleet`, () => HttpResponse.json(fleet))),
  );

  it('lists only the profiles offered in every chosen region, with live free GPUs and headroom', async () => {
    const onChange = jest.fn();
    await renderField(field(['us-west-2', 'europe-west1'], onChange));
    expect(
      await screen.findByText(
        /us-west-2: 12 free, headroom 21%, \$4.10\/h per replica/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /europe-west1: 9 free, headroom 21%, \$3.93\/h per replica/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/A10G/)).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('radio', { name: /1 × A100 40 GB/ }),
    );
    expect(onChange).toHaveBeenCalledWith('a100-40gb-1');
  });

  it('offers the AWS-only profile when only us-west-2 is chosen', async () => {
    await renderField(field(['us-west-2']));
    expect(await screen.findByText(/us-west-2: 7 free/)).toBeInTheDocument();
    expect(
      screen.getByRole('radio', { name: /1 × A10G 24 GB/ }),
    ).toBeInTheDocument();
  });

  it('says so when the chosen profile is not offered in every chosen region', async () => {
    await renderField(
      field(['us-west-2', 'europe-west1'], jest.fn(), 'a10g-1'),
    );
    expect(
      await screen.findByText('a10g-1 is not offered in every chosen region'),
    ).toBeInTheDocument();
  });
});
