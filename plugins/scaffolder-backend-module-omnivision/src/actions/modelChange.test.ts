import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { DeploymentRequestsService } from '@internal/plugin-omnivision-node';
import { createPlanModelChangeAction } from './planModelChange';
import { createRecordModelChangeAction } from './recordModelChange';

const change = {
  kind: 'retire' as const,
  model: 'resource:default/vidgen-xl',
  regions: ['us-west-2'],
};
const branch = 'omnivision/retire-vidgen-xl-0000000a';

function requests(
  overrides: Partial<DeploymentRequestsService>,
): DeploymentRequestsService {
  return {
    admit: jest.fn(),
    record: jest.fn(),
    admitChange: jest.fn(),
    recordChange: jest.fn(),
    ...overrides,
  };
}

describe('omnivision:model-change:plan', () => {
  it("has the backend plan the change as the task's initiator and outputs its pull request", async () => {
    const files = [
      {
        path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
        delete: true,
      },
    ];
    const admitChange = jest.fn(async () => ({
      branch,
      gpus: 0,
      team: 'group:default/data-science',
      title: 'Retire vidgen-xl from us-west-2',
      body: '## Retire `vidgen-xl`',
      files,
    }));
    const action = createPlanModelChangeAction({
      requests: requests({ admitChange: admitChange as any }),
    });
    const ctx = createMockActionContext({ input: change });
    await action.handler(ctx);
    expect(admitChange).toHaveBeenCalledWith(change, {
      credentials: await ctx.getInitiatorCredentials(),
    });
    expect(Object.fromEntries((ctx.output as jest.Mock).mock.calls)).toEqual({
      files,
      branch,
      title: 'Retire vidgen-xl from us-west-2',
      body: '## Retire `vidgen-xl`',
      gpus: 0,
    });
  });

  it("fails with the backend's refusal", async () => {
    const action = createPlanModelChangeAction({
      requests: requests({
        admitChange: jest.fn(async () => {
          throw new Error('vidgen-xl is not deployed in us-west-2');
        }),
      }),
    });
    await expect(
      action.handler(createMockActionContext({ input: change })),
    ).rejects.toThrow('vidgen-xl is not deployed in us-west-2');
  });
});

describe('omnivision:model-change:record', () => {
  const input = {
    ...change,
    pullRequestNumber: 9,
    pullRequestUrl: 'https://github.com/omnivision-ai/omnivision-gitops/pull/9',
    branch,
  };

  it("records the change and its pull request as the task's initiator", async () => {
    const recordChange = jest.fn(async () => ({} as any));
    const action = createRecordModelChangeAction({
      requests: requests({ recordChange }),
    });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(recordChange).toHaveBeenCalledWith(
      {
        pullRequest: { number: 9, url: input.pullRequestUrl, branch },
        change,
      },
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(ctx.output).toHaveBeenCalledWith('requestPath', '/deployments/9');
  });

  it('records nothing in a dry run', async () => {
    const recordChange = jest.fn();
    const action = createRecordModelChangeAction({
      requests: requests({ recordChange }),
    });
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(recordChange).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('requestPath', '/deployments/9');
  });
});
