import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { DeploymentPreview } from '@internal/plugin-omnivision-common';
import { commitFiles, mergeFiles, startTestSandbox } from '@internal/sandbox';
import { Octokit } from '@octokit/rest';
import { parse } from 'yaml';
import request from 'supertest';
import { omnivisionPlugin } from './plugin';

jest.setTimeout(60_000);

const DIGEST = `sha256:${'b'.repeat(64)}`;
const repo = { owner: 'omnivision-ai', repo: 'omnivision-gitops' };

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'vidgen-xl', namespace: 'default' },
    spec: {
      type: 'ai-model',
      owner: 'data-science',
      model: {
        imageRepository: 'registry.omnivision.ai/models/vidgen-xl',
        imageDigest: DIGEST,
        signed: true,
        minGpuMemoryGiB: 16,
        dataClassification: 'phi',
      },
    },
  },
  // The person every request of startTestBackend comes from (mockCredentials.user()).
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'mock', namespace: 'default' },
    spec: { memberOf: ['data-science'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/data-science' }],
  },
];

const body = {
  model: 'resource:default/vidgen-xl',
  gpuProfile: 'a100-40gb-1',
  regions: ['us-west-2', 'europe-west1'],
  minReplicas: 2,
  maxReplicas: 4,
  rollout: 'canary',
};

describe('the deploy form preview against the sandbox', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let server: Parameters<typeof request>[0];
  let stopBackend: () => Promise<void>;
  let scientist: Octokit;
  let approver: Octokit;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const { github, clusters } = await sandbox.admin('GET', '/endpoints');
    const host = new URL(github.apiBaseUrl).host;
    scientist = new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: github.users.find((u: any) => u.role === 'data-scientist').token,
    });
    approver = new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: github.users.find((u: any) => u.role === 'approver').token,
    });
    const backend = await startTestBackend({
      features: [
        omnivisionPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: clusters.map((c: any) => ({
                    name: c.name,
                    url: c.url,
                    authProvider: 'serviceAccount',
                    serviceAccountToken: c.token,
                  })),
                },
              ],
            },
            integrations: {
              github: [
                {
                  host,
                  apiBaseUrl: github.apiBaseUrl,
                  token: 'ghp_sandbox_portal',
                },
              ],
            },
            omnivision: {
              regions: clusters.map((c: any) => ({
                id: c.region,
                cluster: c.name,
                cloud: c.cloud,
                gitopsFolder: `infrastructure/cluster-${c.cloud}`,
              })),
              gpuProfiles: [
                {
                  id: 'a100-40gb-1',
                  title: '1 × A100 40 GB',
                  gpuProduct: 'NVIDIA-A100-SXM4-40GB',
                  gpusPerReplica: 1,
                  gpuMemoryGiB: 40,
                  placement: { aws: 'gpu-a100', gcp: 'nvidia-tesla-a100' },
                  hourlyPriceUsd: { 'us-west-2': 4.1, 'europe-west1': 3.93 },
                },
                {
                  id: 'a10g-1',
                  title: '1 × A10G 24 GB',
                  gpuProduct: 'NVIDIA-A10G',
                  gpusPerReplica: 1,
                  gpuMemoryGiB: 24,
                  placement: { aws: 'gpu-a10g' },
                  hourlyPriceUsd: { 'us-west-2': 1.21 },
                },
              ],
              teamQuotas: [{ team: 'data-science', maxGpus: 32 }],
              gitops: { host, ...repo },
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await sandbox?.stop();
  });

  async function repositoryState() {
    const refs = await scientist.git.listMatchingRefs({
      ...repo,
      ref: 'heads/',
    });
    const pulls = await scientist.pulls.list({ ...repo, state: 'all' });
    return {
      refs: refs.data.map(r => `${r.ref}@${r.object.sha}`).sort(),
      pulls: pulls.data.length,
    };
  }

  it("shows each region's file as a new file, with the cost, and writes nothing", async () => {
    const before = await repositoryState();
    const res = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send(body);
    expect(res.status).toBe(200);
    const preview: DeploymentPreview = res.body;
    expect(preview.violations).toEqual([]);
    expect(preview.baseBranch).toBe('main');
    expect(preview.branch).toMatch(
      /^omnivision\/deploy-vidgen-xl-[0-9a-f]{8}$/,
    );
    expect(preview.gpus).toBe(8);
    // 2 to 4 replicas of $4.10 + $3.93 an hour.
    expect(preview.cost).toMatchObject({
      hourlyMinUsd: 16.06,
      hourlyMaxUsd: 32.12,
      monthlyMaxUsd: 23447.6,
    });
    expect(preview.files.map(f => [f.path, f.status])).toEqual([
      ['infrastructure/cluster-aws/models/vidgen-xl.yaml', 'added'],
      ['infrastructure/cluster-gcp/models/vidgen-xl.yaml', 'added'],
    ]);
    const aws = preview.files[0].diff;
    expect(aws).toContain('--- /dev/null');
    expect(aws).toContain(
      '+++ b/infrastructure/cluster-aws/models/vidgen-xl.yaml',
    );
    expect(aws).toMatch(/^\+\s+cloudProvider: aws$/m);
    expect(preview.files[1].diff).toMatch(/^\+\s+cloudProvider: gcp$/m);
    expect(await repositoryState()).toEqual(before);
  });

  it('diffs against what main holds once an earlier deployment of the model merged', async () => {
    const first = (
      await request(server)
        .post('/api/omnivision/deployments/preview')
        .send(body)
    ).body as DeploymentPreview;
    // Merge the AWS file as rendered, and an older GCP file with 1 to 2 replicas.
    const gcpPath = 'infrastructure/cluster-gcp/models/vidgen-xl.yaml';
    const gcpNow = first.files[1].diff
      .split('\n')
      .filter(l => l.startsWith('+') && !l.startsWith('+++'))
      .map(l => l.slice(1))
      .join('\n');
    const gcpOld = gcpNow.replace(/maxReplicas: 4/, 'maxReplicas: 2');
    expect(parse(gcpOld)).toBeTruthy();
    expect(gcpOld).not.toEqual(gcpNow);
    const awsNow = first.files[0].diff
      .split('\n')
      .filter(l => l.startsWith('+') && !l.startsWith('+++'))
      .map(l => l.slice(1))
      .join('\n');
    await mergeFiles({
      author: scientist,
      approver,
      repo,
      branch: 'earlier-vidgen-xl',
      files: {
        'infrastructure/cluster-aws/models/vidgen-xl.yaml': `${awsNow}\n`,
        [gcpPath]: `${gcpOld}\n`,
      },
    });

    const res = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send(body);
    const preview: DeploymentPreview = res.body;
    expect(preview.files.map(f => f.status)).toEqual(['unchanged', 'modified']);
    expect(preview.files[0].diff).toBe('');
    expect(preview.files[1].diff).toContain(`--- a/${gcpPath}`);
    expect(preview.files[1].diff).toMatch(/^-\s+maxReplicas: 2$/m);
    expect(preview.files[1].diff).toMatch(/^\+\s+maxReplicas: 4$/m);
  });

  it('answers every violation at once, with no files and no cost, and writes nothing', async () => {
    await commitFiles(scientist, repo, 'someone-elses-branch', {
      'x.txt': 'x',
    });
    const before = await repositoryState();
    const res = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({
        ...body,
        model: 'resource:default/../../etc',
        gpuProfile: 'a10g-1',
        maxReplicas: 40,
      });
    expect(res.status).toBe(200);
    const preview: DeploymentPreview = res.body;
    expect(preview.violations.map(v => v.rule)).toEqual(
      expect.arrayContaining(['model', 'placement']),
    );
    expect(
      preview.violations.find(v => v.rule === 'placement')?.message,
    ).toContain('europe-west1');
    expect(preview.files).toEqual([]);
    expect(preview.cost).toBeUndefined();
    expect(await repositoryState()).toEqual(before);
  });

  it('refuses a malformed request with 400 and the reason', async () => {
    const extra = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({ ...body, branch: 'main' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('unknown parameter branch');
    const noRegions = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({ ...body, regions: [] });
    expect(noRegions.status).toBe(400);
    expect(noRegions.body.error.message).toContain('regions');
    const fractional = await request(server)
      .post('/api/omnivision/deployments/preview')
      .send({ ...body, minReplicas: 1.5 });
    expect(fractional.status).toBe(400);
    expect(fractional.body.error.message).toContain('minReplicas');
  });

  it('answers only a person: no credentials 401, a service 403', async () => {
    const none = await request(server)
      .post('/api/omnivision/deployments/preview')
      .set('authorization', mockCredentials.none.header())
      .send(body);
    expect(none.status).toBe(401);
    const service = await request(server)
      .post('/api/omnivision/deployments/preview')
      .set('authorization', mockCredentials.service.header())
      .send(body);
    expect(service.status).toBe(403);
  });
});
