import http from 'node:http';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  DeploymentRequestsService,
  deploymentRequestsServiceRef,
} from '@internal/plugin-omnivision-node';
import { createRecordDeploymentAction } from './recordDeployment';

const request = {
  model: 'resource:default/vidgen-xl',
  gpuProfile: 'a100-40gb-1',
  regions: ['us-west-2'],
  minReplicas: 1,
  maxReplicas: 2,
  rollout: 'canary' as const,
};
const input = {
  ...request,
  pullRequestNumber: 7,
  pullRequestUrl: 'https://github.com/omnivision-ai/omnivision-gitops/pull/7',
  branch: 'omnivision/deploy-vidgen-xl-0000000a',
};

describe('omnivision:deployment:record', () => {
  it("records the request through the deployment requests service, as the task's initiator", async () => {
    const record = jest.fn(async () => ({} as any));
    const action = createRecordDeploymentAction({
      requests: {
        record,
        admit: jest.fn(),
        admitChange: jest.fn(),
        recordChange: jest.fn(),
      },
    });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx);
    expect(record).toHaveBeenCalledWith(
      {
        pullRequest: {
          number: 7,
          url: input.pullRequestUrl,
          branch: input.branch,
        },
        request,
      },
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(ctx.output).toHaveBeenCalledWith('requestPath', '/deployments/7');
  });

  it('records nothing in a dry run', async () => {
    const record = jest.fn();
    const action = createRecordDeploymentAction({
      requests: {
        record,
        admit: jest.fn(),
        admitChange: jest.fn(),
        recordChange: jest.fn(),
      },
    });
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };
    await action.handler(ctx);
    expect(record).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('requestPath', '/deployments/7');
  });
});

describe('the default deployment requests service', () => {
  /** Starts a backend with a stand-in omnivision plugin that answers POST /requests. */
  async function start(answer: { status: number; body: unknown }) {
    const received: Array<{ method?: string; url?: string; body: unknown }> =
      [];
    let service: DeploymentRequestsService | undefined;
    const omnivision = createBackendPlugin({
      pluginId: 'omnivision',
      register(env) {
        env.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
            httpRouter.use(
              (req: http.IncomingMessage, res: http.ServerResponse) => {
                let text = '';
                req.on('data', chunk => {
                  text += chunk;
                });
                req.on('end', () => {
                  received.push({
                    method: req.method,
                    url: req.url,
                    body: JSON.parse(text),
                  });
                  res.writeHead(answer.status, {
                    'content-type': 'application/json',
                  });
                  res.end(JSON.stringify(answer.body));
                });
              },
            );
          },
        });
      },
    });
    const scaffolder = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'omnivision-test',
      register(env) {
        env.registerInit({
          deps: { requests: deploymentRequestsServiceRef },
          async init({ requests }) {
            service = requests;
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [omnivision, scaffolder],
    });
    return { backend, received, service: service! };
  }

  it('posts the record to the backend and returns its answer', async () => {
    const { backend, received, service } = await start({
      status: 201,
      body: { pullRequestNumber: 7 },
    });
    try {
      const recorded = await service.record(
        {
          pullRequest: {
            number: 7,
            url: input.pullRequestUrl,
            branch: input.branch,
          },
          request,
        },
        { credentials: mockCredentials.user('user:default/maya-chen') },
      );
      expect(recorded).toEqual({ pullRequestNumber: 7 });
      expect(received).toEqual([
        {
          method: 'POST',
          url: '/requests',
          body: {
            pullRequestNumber: 7,
            pullRequestUrl: input.pullRequestUrl,
            branch: input.branch,
            request,
          },
        },
      ]);
    } finally {
      await backend.stop();
    }
  });

  it("posts a rollback's or retirement's check and record as a change, and returns the backend's answers", async () => {
    const change = {
      kind: 'retire' as const,
      model: 'resource:default/vidgen-xl',
      regions: ['us-west-2'],
    };
    const { backend, received, service } = await start({
      status: 200,
      body: { branch: 'omnivision/retire-vidgen-xl-0000000a' },
    });
    try {
      const credentials = mockCredentials.user('user:default/maya-chen');
      expect(await service.admitChange(change, { credentials })).toEqual({
        branch: 'omnivision/retire-vidgen-xl-0000000a',
      });
      await service.recordChange(
        {
          pullRequest: {
            number: 8,
            url: input.pullRequestUrl,
            branch: 'omnivision/retire-vidgen-xl-0000000a',
          },
          change,
        },
        { credentials },
      );
      expect(received).toEqual([
        { method: 'POST', url: '/requests/checks', body: { change } },
        {
          method: 'POST',
          url: '/requests',
          body: {
            pullRequestNumber: 8,
            pullRequestUrl: input.pullRequestUrl,
            branch: 'omnivision/retire-vidgen-xl-0000000a',
            change,
          },
        },
      ]);
    } finally {
      await backend.stop();
    }
  });

  it("fails with the backend's refusal", async () => {
    const { backend, service } = await start({
      status: 400,
      body: {
        error: { name: 'InputError', message: 'the request breaks 1 rule(s)' },
        request: { method: 'POST', url: '/api/omnivision/requests' },
        response: { statusCode: 400 },
      },
    });
    try {
      await expect(
        service.record(
          {
            pullRequest: {
              number: 7,
              url: input.pullRequestUrl,
              branch: input.branch,
            },
            request,
          },
          { credentials: mockCredentials.user('user:default/maya-chen') },
        ),
      ).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 400,
        cause: { message: 'the request breaks 1 rule(s)' },
      });
    } finally {
      await backend.stop();
    }
  });
});
