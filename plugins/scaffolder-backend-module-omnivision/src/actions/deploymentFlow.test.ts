import type { UserEntity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  DIGEST,
  VERSIONS,
  deploymentConfigFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  portalGitHubIntegration,
  postPortalApproval,
  repositoryState,
  startTestSandbox,
} from '@internal/sandbox/testUtils';
import { Octokit } from '@octokit/rest';
import { parse } from 'yaml';
import { createRenderDeploymentAction } from './renderDeployment';
import { createValidateDeploymentAction } from './validateDeployment';
import { createOpenGitOpsPullRequestAction } from './openGitOpsPullRequest';
import {
  DeploymentContextLoader,
  DeploymentRequestAdmission,
  DeploymentPlanner,
  GitOpsPullRequests,
  gitOpsRepositoryLocator,
  readDeploymentConfig,
} from '@internal/plugin-omnivision-node';

jest.setTimeout(60_000);

/** A data scientist of the data-science team, as the scaffolder hands the task's user over. */
const MAYA: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'maya-chen' },
  spec: {},
  relations: [{ type: 'memberOf', targetRef: 'group:default/data-science' }],
};

/** Runs an action's handler as a task of the user would, and returns what it output. */
async function run(
  action: TemplateAction<any, any, any>,
  input: Record<string, unknown>,
  user: UserEntity = MAYA,
): Promise<Record<string, any>> {
  const ctx = createMockActionContext({
    input: input as any,
    user: { entity: user, ref: `user:default/${user.metadata.name}` },
  });
  await action.handler(ctx);
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

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
          // Versions as the catalog lists them: 2.2.0-rc.1 (unsigned), 2.1.0, 2.0.0.
          model('versioned-model', {
            imageDigest: undefined,
            signed: undefined,
            versions: VERSIONS,
          }),
          { ...model('not-a-model'), spec: { type: 'database', owner: 'x' } },
        ],
      }),
    }),
  );
  /** The backend's admission: refuses what the test says it refuses. */
  const admit = jest.fn(
    async (
      _request: unknown,
      _options: unknown,
    ): Promise<DeploymentRequestAdmission> => ({
      branch: '',
      gpus: 0,
      team: 'group:default/data-science',
    }),
  );
  const validate = createValidateDeploymentAction({
    planner,
    requests: {
      admit,
      record: jest.fn(),
      admitChange: jest.fn(),
      recordChange: jest.fn(),
    },
  });
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
      // As the portal does: its GitHub App's installation token, from the sandbox.
      gitOps: GitOpsPullRequests.create({
        repository: gitOpsRepositoryLocator(
          new ConfigReader({
            integrations: { github: [portalGitHubIntegration(github)] },
            omnivision: {
              gitops: { host: new URL(github.apiBaseUrl).host, ...repo },
            },
          }),
        ),
      }),
    });
  });
  afterAll(() => sandbox?.stop());

  /** Runs render then the pull request action, as the template does. */
  async function deploy(input: typeof request) {
    const rendered = await run(render, input);
    const pr = await run(openPullRequest, {
      branch: rendered.branch,
      title: rendered.title,
      body: rendered.body,
      files: rendered.files,
      labels: ['deployment', 'hipaa'],
    });
    return { rendered, pr };
  }

  it("opens one pull request with both clouds' values in at most 6 GitHub calls", async () => {
    await sandbox.admin('DELETE', '/stats');
    const { rendered, pr } = await deploy(request);
    const stats = await sandbox.admin('GET', '/stats');
    const portal = stats.github.byToken[github.app.principals.installation];
    expect(portal).toBeGreaterThan(0);
    expect(portal).toBeLessThanOrEqual(6);
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

  it('updates a model back to parameters it ran before: a new pull request from the branch the merged one left', async () => {
    const approver = new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: github.users.find((u: any) => u.role === 'approver').token,
    });
    const merge = async (pullRequestNumber: number) => {
      const pull = await scientist.pulls.get({
        ...repo,
        pull_number: pullRequestNumber,
      });
      await approver.pulls.createReview({
        ...repo,
        pull_number: pullRequestNumber,
        event: 'APPROVE',
      });
      // The sandbox's helper is typed with its own @octokit/rest version.
      await postPortalApproval(scientist as any, repo, pull.data.head.sha);
      await approver.pulls.merge({ ...repo, pull_number: pullRequestNumber });
    };
    const five = { ...request, maxReplicas: 5 };
    const first = await deploy(five);
    await merge(first.pr.pullRequestNumber);
    await merge(
      (
        await deploy({ ...request, maxReplicas: 7 })
      ).pr.pullRequestNumber,
    );
    const again = await deploy(five);
    expect(again.rendered.branch).toBe(first.rendered.branch);
    // Where the backend's admission says the model runs, the pull request is an update.
    expect(again.rendered.title).toBe(
      'Deploy vidgen-xl on a100-40gb-1 to us-west-2, europe-west1',
    );
    const update = await run(render, {
      ...five,
      runningIn: ['us-west-2', 'europe-west1'],
    });
    expect(update.branch).toBe(first.rendered.branch);
    expect(update.title).toBe(
      'Update vidgen-xl on a100-40gb-1 in us-west-2, europe-west1',
    );
    expect(update.body).toMatch(
      /^## Update `vidgen-xl`\n\nIt already runs in us-west-2, europe-west1: this changes its values files there\./,
    );
    expect(again.pr.pullRequestNumber).not.toBe(first.pr.pullRequestNumber);
    const pull = await scientist.pulls.get({
      ...repo,
      pull_number: again.pr.pullRequestNumber,
    });
    expect(pull.data).toMatchObject({
      state: 'open',
      head: { ref: first.rendered.branch },
    });
    const files = await scientist.pulls.listFiles({
      ...repo,
      pull_number: pull.data.number,
    });
    // What runs now (7 replicas at the most) changes back to 5: changed lines, not new files.
    expect(files.data.map(f => f.status)).toEqual(['modified', 'modified']);
    expect(files.data[0].patch).toContain('-  maxReplicas: 7');
    expect(files.data[0].patch).toContain('+  maxReplicas: 5');
  });

  it('refuses a branch that exists without a pull request from the portal, leaving it untouched', async () => {
    const rendered = await run(render, { ...request, maxReplicas: 3 });
    const main = await scientist.git.getRef({ ...repo, ref: 'heads/main' });
    await scientist.git.createRef({
      ...repo,
      ref: `refs/heads/${rendered.branch}`,
      sha: main.data.object.sha,
    });
    const before = await repositoryState(scientist, repo);
    const pr = {
      branch: rendered.branch,
      title: 'x',
      body: 'x',
      files: rendered.files,
      labels: ['deployment'],
    };
    await expect(run(openPullRequest, pr)).rejects.toThrow(
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
    [
      { model: 'resource:default/versioned-model', version: '2.2.0-rc.1' },
      /version: version 2.2.0-rc.1 of versioned-model is not signed; signed versions: 2.1.0, 2.0.0/,
    ],
    [
      { model: 'resource:default/versioned-model', version: '9.0.0' },
      /version: version "9.0.0" of versioned-model is unknown; its versions: 2.2.0-rc.1, 2.1.0, 2.0.0/,
    ],
    [
      { version: '1.0.0' },
      /version: version "1.0.0" of vidgen-xl is unknown; the catalog lists no versions of it/,
    ],
    [{ model: 'resource:default/missing' }, /the catalog has no model/],
  ])(
    'fails %j with its message and writes nothing',
    async (change, message) => {
      const before = await repositoryState(scientist, repo);
      await sandbox.admin('DELETE', '/stats');
      const input = { ...request, ...change };
      await expect(run(validate, input)).rejects.toThrow(message);
      await expect(run(render, input)).rejects.toThrow(message);
      expect(await repositoryState(scientist, repo)).toEqual(before);
      const stats = await sandbox.admin('GET', '/stats');
      expect(
        stats.github.byToken[github.app.principals.installation] ?? 0,
      ).toBe(0);
    },
  );

  it("renders the requested version's image, or the newest signed version's when none is named (the template's empty answer)", async () => {
    const imagesOf = async (input: Record<string, unknown>) =>
      ((await run(render, input)).files as Array<{ content: string }>).map(
        f => parse(f.content).aiWorker.image,
      );
    const repository = 'registry.omnivision.ai/models/versioned-model';
    const versioned = { ...request, model: 'resource:default/versioned-model' };
    expect(await imagesOf({ ...versioned, version: '2.0.0' })).toEqual([
      `${repository}@${VERSIONS[2].imageDigest}`,
      `${repository}@${VERSIONS[2].imageDigest}`,
    ]);
    for (const input of [versioned, { ...versioned, version: '' }]) {
      expect(await imagesOf(input)).toEqual([
        `${repository}@${VERSIONS[1].imageDigest}`,
        `${repository}@${VERSIONS[1].imageDigest}`,
      ]);
    }
  });

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
        run(openPullRequest, { ...input, title: 't', body: 'b', labels: [] }),
      ).rejects.toThrow(/refusing/);
    }
    expect(await repositoryState(scientist, repo)).toEqual(before);
  });

  it('removes only model values files, on retire branches only; a removal main cannot make writes nothing', async () => {
    const before = await repositoryState(scientist, repo);
    await sandbox.admin('DELETE', '/stats');
    const pr = (branch: string, files: unknown[]) =>
      run(openPullRequest, {
        branch,
        title: 't',
        body: 'b',
        files,
        labels: [],
      });
    // Not a model values file: refused before any GitHub call.
    await expect(
      pr('omnivision/retire-vidgen-xl-0000000a', [
        { path: 'infrastructure/cluster-aws/argo-app.yaml', delete: true },
      ]),
    ).rejects.toThrow(
      /refusing to write "infrastructure\/cluster-aws\/argo-app.yaml": deployments only write or remove/,
    );
    await expect(
      pr('omnivision/undo-vidgen-xl-0000000a', [
        {
          path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
          delete: true,
        },
      ]),
    ).rejects.toThrow(/refusing branch/);
    // A deployment or a rollback writes files; only a retirement removes them.
    for (const branch of [
      'omnivision/deploy-vidgen-xl-0000000a',
      'omnivision/rollback-vidgen-xl-0000000a',
    ]) {
      await expect(
        pr(branch, [
          {
            path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
            delete: true,
          },
        ]),
      ).rejects.toThrow(
        /refusing to remove files on omnivision\/(deploy|rollback)-/,
      );
    }
    const stats = await sandbox.admin('GET', '/stats');
    expect(stats.github.byToken[github.app.principals.installation] ?? 0).toBe(
      0,
    );
    // A model file main does not hold: GitHub refuses the tree (422), before any branch exists.
    await expect(
      pr('omnivision/retire-never-deployed-0000000a', [
        {
          path: 'infrastructure/cluster-aws/models/never-deployed.yaml',
          delete: true,
        },
      ]),
    ).rejects.toMatchObject({ status: 422 });
    expect(await repositoryState(scientist, repo)).toEqual(before);
  });

  it("has the backend admit the request, as the task's initiator, and fails with its refusal", async () => {
    admit.mockClear();
    expect((await run(validate, request)).runningIn).toEqual([]);
    admit.mockResolvedValueOnce({
      branch: '',
      gpus: 0,
      team: 'group:default/data-science',
      runningIn: ['us-west-2'],
    });
    expect((await run(validate, request)).runningIn).toEqual(['us-west-2']);
    expect(admit).toHaveBeenCalledWith(request, {
      credentials: expect.objectContaining({
        principal: expect.objectContaining({ type: 'user' }),
      }),
    });
    admit.mockRejectedValueOnce(
      new Error(
        'vidgen-xl already has an open request: #3 by user:default/omar-haddad',
      ),
    );
    await expect(run(validate, request)).rejects.toThrow(
      'vidgen-xl already has an open request: #3 by user:default/omar-haddad',
    );
  });

  it('reports a team without a GPU quota', async () => {
    const outsider: UserEntity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'sam' },
      spec: {},
      relations: [{ type: 'memberOf', targetRef: 'group:default/security' }],
    };
    await expect(run(validate, request, outsider)).rejects.toThrow(
      /exceed the GPU quota of your teams \(group:default\/security\), which have no GPU quota \(0\)/,
    );
  });
});
