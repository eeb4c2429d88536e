import { ConfigReader } from '@backstage/config';
import {
  DIGEST,
  deploymentConfigFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { repositoryState, startTestSandbox } from '@internal/sandbox/testUtils';
import { Octokit } from '@octokit/rest';
import { parse } from 'yaml';
import { createRenderDeploymentAction } from './renderDeployment';
import { createValidateDeploymentAction } from './validateDeployment';
import { createOpenGitOpsPullRequestAction } from './openGitOpsPullRequest';
import {
  DeploymentContextLoader,
  DeploymentPlanner,
  readDeploymentConfig,
} from '@internal/plugin-omnivision-node';
import { actionContext } from '../__testUtils__/actionContext';

jest.setTimeout(60_000);

const model = (name: string, overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'ai-model',
    owner: 'data-science',
    model: {
      imageRepository: `registry.omnivision.ai/models/${name}`,
      imageDigest: DIGEST,
      signed: true,
      minGpuMemoryGiB: 16,
      dataClassification: 'phi',
      ...overrides,
    },
  },
});

const config = new ConfigReader({
  omnivision: {
    ...deploymentConfigFixture(),
    teamQuotas: [{ team: 'data-science', maxGpus: 32 }],
    gitops: {
      host: 'unused',
      owner: 'omnivision-ai',
      repo: 'omnivision-gitops',
    },
  },
});

const request = {
  model: 'resource:default/vidgen-xl',
  gpuProfile: 'a100-40gb-1',
  regions: ['us-west-2', 'europe-west1'],
  minReplicas: 2,
  maxReplicas: 4,
  rollout: 'canary',
};

describe('the deploy flow against the sandbox GitHub', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let github: any;
  let scientist: Octokit;
  const repo = { owner: 'omnivision-ai', repo: 'omnivision-gitops' };
  const deployment = readDeploymentConfig(config);
  const planner = DeploymentPlanner.create(
    DeploymentContextLoader.create({
      config: deployment,
      catalog: catalogServiceMock({
        entities: [
          model('vidgen-xl'),
          model('tagged-model', { imageDigest: 'latest' }),
          { ...model('not-a-model'), spec: { type: 'database', owner: 'x' } },
        ],
      }),
    }),
  );
  const validate = createValidateDeploymentAction({ planner });
  const render = createRenderDeploymentAction({ planner });
  let openPullRequest: ReturnType<typeof createOpenGitOpsPullRequestAction>;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    github = (await sandbox.admin('GET', '/endpoints')).github;
    scientist = new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: github.users.find((u: any) => u.role === 'data-scientist').token,
    });
    openPullRequest = createOpenGitOpsPullRequestAction({
      gitopsFolders: deployment.regions.map(r => r.gitopsFolder),
      repository: async () => ({
        apiBaseUrl: github.apiBaseUrl,
        ...repo,
        baseBranch: 'main',
        token: 'ghp_sandbox_portal',
      }),
    });
  });
  afterAll(() => sandbox?.stop());

  /** Runs render then the pull request action, as the template does. */
  async function deploy(input: typeof request) {
    const rendered = actionContext(input);
    await render.handler(rendered.ctx);
    const pr = actionContext({
      branch: rendered.outputs.branch,
      title: rendered.outputs.title,
      body: rendered.outputs.body,
      files: rendered.outputs.files,
      labels: ['deployment', 'hipaa'],
    });
    await openPullRequest.handler(pr.ctx);
    return { rendered: rendered.outputs, pr: pr.outputs };
  }

  it("opens one pull request with both clouds' values in at most 6 GitHub calls", async () => {
    await sandbox.admin('DELETE', '/stats');
    const { rendered, pr } = await deploy(request);
    const stats = await sandbox.admin('GET', '/stats');
    expect(stats.github.byToken['omnivision-portal']).toBeLessThanOrEqual(6);
    expect(pr.pullRequestUrl).toMatch(
      /\/omnivision-ai\/omnivision-gitops\/pull\/\d+$/,
    );

    const pull = await scientist.pulls.get({
      ...repo,
      pull_number: pr.pullRequestNumber as number,
    });
    expect(pull.data.head.ref).toBe(rendered.branch);
    expect(pull.data.body).toContain('Every rule passed');
    expect(pull.data.body).toContain('a month');
    expect(pull.data.labels.map(l => l.name).sort()).toEqual([
      'deployment',
      'hipaa',
    ]);
    expect(pull.data.requested_teams?.map(t => t.slug)).toEqual([
      'platform-team',
    ]);

    const files = await scientist.pulls.listFiles({
      ...repo,
      pull_number: pull.data.number,
    });
    expect(files.data.map(f => f.filename).sort()).toEqual([
      'infrastructure/cluster-aws/models/vidgen-xl.yaml',
      'infrastructure/cluster-gcp/models/vidgen-xl.yaml',
    ]);
    for (const [path, cloud, key, value] of [
      [
        'infrastructure/cluster-aws/models/vidgen-xl.yaml',
        'aws',
        'eks.amazonaws.com/nodegroup',
        'gpu-a100',
      ],
      [
        'infrastructure/cluster-gcp/models/vidgen-xl.yaml',
        'gcp',
        'cloud.google.com/gke-accelerator',
        'nvidia-tesla-a100',
      ],
    ]) {
      const content = await scientist.repos.getContent({
        ...repo,
        path,
        ref: rendered.branch as string,
      });
      const values = parse(
        Buffer.from((content.data as any).content, 'base64').toString(),
      );
      expect(values.global.cloudProvider).toBe(cloud);
      expect(values.aiWorker.nodeAffinity).toEqual({
        key,
        operator: 'In',
        values: [value],
      });
      expect(values.aiWorker.image).toBe(
        `registry.omnivision.ai/models/vidgen-xl@${DIGEST}`,
      );
    }
  });

  it('updates the same pull request when the same request runs again', async () => {
    const first = await deploy({ ...request, maxReplicas: 6 });
    const second = await deploy({ ...request, maxReplicas: 6 });
    expect(second.pr.pullRequestNumber).toBe(first.pr.pullRequestNumber);
    const open = await scientist.pulls.list({
      ...repo,
      state: 'open',
      head: `omnivision-ai:${first.rendered.branch}`,
    });
    expect(open.data).toHaveLength(1);
  });

  it('refuses a branch that exists without a pull request from the portal, leaving it untouched', async () => {
    const rendered = actionContext({ ...request, maxReplicas: 3 });
    await render.handler(rendered.ctx);
    const main = await scientist.git.getRef({ ...repo, ref: 'heads/main' });
    await scientist.git.createRef({
      ...repo,
      ref: `refs/heads/${rendered.outputs.branch}`,
      sha: main.data.object.sha,
    });
    const before = await repositoryState(scientist, repo);
    const pr = actionContext({
      branch: rendered.outputs.branch,
      title: 'x',
      body: 'x',
      files: rendered.outputs.files,
      labels: ['deployment'],
    });
    await expect(openPullRequest.handler(pr.ctx)).rejects.toThrow(
      /already exists .* without an open pull request from the portal; it was left untouched/,
    );
    expect(await repositoryState(scientist, repo)).toEqual(before);
  });

  it.each([
    [
      { model: 'resource:default/Bad_Name' },
      /name: model name "Bad_Name" is not a DNS-1123 label/,
    ],
    [{ gpuProfile: 'h100-8' }, /profile: unknown GPU profile "h100-8"/],
    [
      { gpuProfile: 'a10g-1' },
      /placement: GPU profile a10g-1 is not offered in europe-west1 \(gcp\)/,
    ],
    [
      { maxReplicas: 20 },
      /quota: 40 GPUs at most .* exceed the GPU quota of group:default\/data-science \(32\)/,
    ],
    [
      { model: 'resource:default/tagged-model' },
      /image: the image of tagged-model must be pinned by digest/,
    ],
    [{ model: 'resource:default/../../etc' }, /is not a reference to a model/],
    [
      { model: 'resource:default/x\nkind: Secret' },
      /is not a reference to a model|not a DNS-1123 label/,
    ],
    [{ model: 'resource:default/not-a-model' }, /not an ai-model/],
    [{ model: 'resource:default/missing' }, /the catalog has no model/],
  ])(
    'fails %j with its message and writes nothing',
    async (change, message) => {
      const before = await repositoryState(scientist, repo);
      await sandbox.admin('DELETE', '/stats');
      const input = { ...request, ...change };
      await expect(validate.handler(actionContext(input).ctx)).rejects.toThrow(
        message,
      );
      await expect(render.handler(actionContext(input).ctx)).rejects.toThrow(
        message,
      );
      expect(await repositoryState(scientist, repo)).toEqual(before);
      const stats = await sandbox.admin('GET', '/stats');
      expect(stats.github.byToken['omnivision-portal'] ?? 0).toBe(0);
    },
  );

  it('refuses a file outside the models folders, and a foreign branch, before writing anything', async () => {
    const before = await repositoryState(scientist, repo);
    const files = [
      {
        path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
        content: 'a: 1\n',
      },
    ];
    for (const input of [
      { branch: 'main', files },
      {
        branch: 'omnivision/deploy-vidgen-xl-0000000a',
        files: [
          { path: 'infrastructure/cluster-aws/argo-app.yaml', content: 'x' },
        ],
      },
      {
        branch: 'omnivision/deploy-vidgen-xl-0000000a',
        files: [
          {
            path: 'infrastructure/cluster-aws/models/../../CODEOWNERS',
            content: 'x',
          },
        ],
      },
    ]) {
      await expect(
        openPullRequest.handler(
          actionContext({ ...input, title: 't', body: 'b', labels: [] }).ctx,
        ),
      ).rejects.toThrow(/refusing/);
    }
    expect(await repositoryState(scientist, repo)).toEqual(before);
  });

  it('reports a team without a GPU quota', async () => {
    const outsider = actionContext(request, {
      user: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: 'sam' },
        spec: {},
        relations: [{ type: 'memberOf', targetRef: 'group:default/security' }],
      },
    });
    await expect(validate.handler(outsider.ctx)).rejects.toThrow(
      /exceed the GPU quota of your teams \(group:default\/security\), which have no GPU quota \(0\)/,
    );
  });
});
