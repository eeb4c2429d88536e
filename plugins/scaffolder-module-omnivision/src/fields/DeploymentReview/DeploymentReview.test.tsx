import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { DeploymentReview, deploymentRequestOf } from './DeploymentReview';
import { API, renderField } from '../../__testUtils__/renderField';

const answers = {
  model: 'resource:default/vidgen-xl',
  regions: ['us-west-2', 'europe-west1'],
  gpuProfile: 'a100-40gb-1',
  minReplicas: 2,
  maxReplicas: 4,
  rollout: 'canary',
};

const passing = {
  violations: [],
  baseBranch: 'main',
  branch: 'omnivision/deploy-vidgen-xl-0a1b2c3d',
  gpus: 8,
  cost: {
    regions: [
      { region: 'us-west-2', hourlyMinUsd: 8.2, hourlyMaxUsd: 16.4 },
      { region: 'europe-west1', hourlyMinUsd: 7.86, hourlyMaxUsd: 15.72 },
    ],
    hourlyMinUsd: 16.06,
    hourlyMaxUsd: 32.12,
    monthlyMinUsd: 11723.8,
    monthlyMaxUsd: 23447.6,
  },
  files: [
    {
      region: 'us-west-2',
      cluster: 'eks-us-west-2',
      path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
      status: 'added',
      diff: '===================================================================\n--- /dev/null\n+++ b/infrastructure/cluster-aws/models/vidgen-xl.yaml\n@@ -0,0 +1,2 @@\n+global:\n+  cloudProvider: aws\n',
    },
    {
      region: 'europe-west1',
      cluster: 'gke-europe-west1',
      path: 'infrastructure/cluster-gcp/models/vidgen-xl.yaml',
      status: 'modified',
      diff: '--- a/infrastructure/cluster-gcp/models/vidgen-xl.yaml\n+++ b/infrastructure/cluster-gcp/models/vidgen-xl.yaml\n@@ -1,1 +1,1 @@\n-  maxReplicas: 2\n+  maxReplicas: 4\n',
    },
  ],
};

function field(formData: Record<string, unknown>) {
  return (
    <DeploymentReview
      {...({
        schema: { title: 'Review the changes' },
        uiSchema: {},
        formContext: { formData },
        rawErrors: [],
        onChange: jest.fn(),
      } as any)}
    />
  );
}

describe('DeploymentReview', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it("shows each file's diff against main and the hourly and monthly cost, from the server", async () => {
    let sent: unknown;
    server.use(
      http.post(`${API}/deployments/preview`, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(passing);
      }),
    );
    await renderField(field({ ...answers, review: null }));
    expect(
      await screen.findByText('$16.06 – $32.12 an hour'),
    ).toBeInTheDocument();
    expect(sent).toEqual(answers);
    expect(
      screen.getByText('$11,723.80 – $23,447.60 a month'),
    ).toBeInTheDocument();
    expect(screen.getByText('new file')).toBeInTheDocument();
    expect(screen.getByText('changed')).toBeInTheDocument();
    expect(screen.getByText(/^\+\s+cloudProvider: aws$/)).toBeInTheDocument();
    expect(screen.getByText(/^-\s+maxReplicas: 2$/)).toBeInTheDocument();
    expect(screen.queryByText(/^=+$/)).not.toBeInTheDocument();
    expect(
      screen.getByText(/Every rule passed: 8 GPUs at the most/),
    ).toBeInTheDocument();
  });

  it('lists every violation the server found', async () => {
    server.use(
      http.post(`${API}/deployments/preview`, () =>
        HttpResponse.json({
          violations: [
            {
              rule: 'placement',
              message: 'a10g-1 is not offered in europe-west1 (gcp)',
            },
            { rule: 'quota', message: '80 GPUs exceed the 64 of data-science' },
          ],
          baseBranch: 'main',
          files: [],
        }),
      ),
    );
    await renderField(field({ ...answers, gpuProfile: 'a10g-1' }));
    expect(
      await screen.findByText(/This request breaks 2 rules/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'placement: a10g-1 is not offered in europe-west1 (gcp)',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('quota: 80 GPUs exceed the 64 of data-science'),
    ).toBeInTheDocument();
  });

  it('says the server still checks when the preview fails', async () => {
    server.use(
      http.post(`${API}/deployments/preview`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'GitHub is down',
            },
          },
          { status: 503 },
        ),
      ),
    );
    await renderField(field(answers));
    expect(
      await screen.findByText(/The preview is not available/),
    ).toBeInTheDocument();
    expect(screen.getByText(/still checks the request/)).toBeInTheDocument();
  });

  it("takes the request's fields from the form's answers, without the form's empty items", () => {
    expect(
      deploymentRequestOf({
        ...answers,
        regions: [undefined, 'us-west-2', ''],
        rollout: undefined,
        review: null,
        name: 'vidgen-xl',
      }),
    ).toEqual({ ...answers, regions: ['us-west-2'], rollout: 'canary' });
    expect(deploymentRequestOf({ ...answers, rollout: 'direct' })).toEqual({
      ...answers,
      rollout: 'direct',
    });
    // The version asked for, if any; an empty answer is the newest signed version.
    expect(deploymentRequestOf({ ...answers, version: '2.0.0' })).toEqual({
      ...answers,
      version: '2.0.0',
    });
    expect(deploymentRequestOf({ ...answers, version: '' })).not.toHaveProperty(
      'version',
      '',
    );
    expect(
      deploymentRequestOf({ ...answers, minReplicas: undefined }),
    ).toBeUndefined();
    expect(deploymentRequestOf(undefined)).toBeUndefined();
  });

  it('asks for the missing answers before calling the server', async () => {
    expect(
      deploymentRequestOf({ ...answers, gpuProfile: undefined }),
    ).toBeUndefined();
    expect(deploymentRequestOf({ ...answers, regions: [] })).toBeUndefined();
    await renderField(field({ model: answers.model }));
    expect(
      screen.getByText(/Choose a model, regions, a GPU profile and replicas/),
    ).toBeInTheDocument();
  });
});
