import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { VERSIONS } from '@internal/plugin-omnivision-common/testUtils';
import { ModelVersionPicker } from './ModelVersionPicker';
import { renderField } from '../../__testUtils__/renderField';

const entity = (name: string, versions: object[]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'ai-model',
    owner: 'data-science',
    // Plain data, as the catalog holds it.
    model: { versions: JSON.parse(JSON.stringify(versions)) },
  },
});

// VERSIONS lists 2.2.0-rc.1 (unsigned, newest), 2.1.0 and 2.0.0 (signed); listed out of order
// here, as a catalog may.
const catalog = catalogApiMock({
  entities: [
    entity('vidgen-xl', [VERSIONS[2], VERSIONS[0], VERSIONS[1]]),
    entity('broken', [{ version: '1.0.0' }]),
  ],
});

function field(
  model: string | undefined,
  onChange = jest.fn(),
  formData?: string,
) {
  return (
    <ModelVersionPicker
      {...({
        formData,
        onChange,
        schema: { title: 'Version' },
        uiSchema: {},
        formContext: { formData: { model } },
        rawErrors: [],
        required: false,
      } as any)}
    />
  );
}

const render = (element: JSX.Element) =>
  renderField(element, { apis: [[catalogApiRef, catalog]] });

describe('ModelVersionPicker', () => {
  it("lists the model's versions newest first, unsigned ones disabled, and defaults to the newest signed", async () => {
    const onChange = jest.fn();
    await render(field('resource:default/vidgen-xl', onChange));
    const newest = await screen.findByRole('radio', {
      name: 'Newest signed (2.1.0)',
    });
    expect(newest).toBeChecked();
    const radios = screen.getAllByRole('radio');
    expect(radios.map(r => r.closest('label')?.textContent)).toEqual([
      'Newest signed (2.1.0)',
      expect.stringMatching(/^2\.2\.0-rc\.1not signed · released 2026-11-20/),
      expect.stringMatching(
        /^2\.1\.0signed · released 2026-10-02 · sha256:bbbbbbbbbbbb/,
      ),
      expect.stringMatching(/^2\.0\.0signed · released 2026-07-15/),
    ]);
    expect(screen.getByRole('radio', { name: /2\.2\.0-rc\.1/ })).toBeDisabled();

    await userEvent.click(screen.getByRole('radio', { name: /^2\.0\.0/ }));
    expect(onChange).toHaveBeenLastCalledWith('2.0.0');
  });

  it('gives back an empty choice as no version (the server picks the newest signed)', async () => {
    const onChange = jest.fn();
    await render(field('resource:default/vidgen-xl', onChange, '2.0.0'));
    expect(
      await screen.findByRole('radio', { name: /^2\.0\.0/ }),
    ).toBeChecked();
    await userEvent.click(
      screen.getByRole('radio', { name: 'Newest signed (2.1.0)' }),
    );
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });

  it('says so when a prefilled version is unsigned or unknown', async () => {
    const { unmount } = await render(
      field('resource:default/vidgen-xl', jest.fn(), '2.2.0-rc.1'),
    );
    expect(
      await screen.findByText(
        '2.2.0-rc.1 is not signed: choose a signed version',
      ),
    ).toBeInTheDocument();
    unmount();
    await render(field('resource:default/vidgen-xl', jest.fn(), '9.9.9'));
    expect(
      await screen.findByText('9.9.9 is not a version of this model'),
    ).toBeInTheDocument();
  });

  it('asks for a model first, and says what is wrong with a model or its versions', async () => {
    const { unmount } = await render(field(undefined));
    expect(screen.getByText('Choose a model first.')).toBeInTheDocument();
    unmount();
    const second = await render(field('resource:default/nowhere'));
    expect(
      await screen.findByText('resource:default/nowhere is not in the catalog'),
    ).toBeInTheDocument();
    second.unmount();
    await render(field('resource:default/broken'));
    expect(
      await screen.findByText(/versions\[0\]\[imageDigest\]: Required/),
    ).toBeInTheDocument();
  });
});
