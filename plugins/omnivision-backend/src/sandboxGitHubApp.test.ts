import path from 'node:path';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { ServiceFactoryTester } from '@backstage/backend-test-utils';
import { gitOpsRepositoryLocator } from '@internal/plugin-omnivision-node';
import { startTestSandbox } from '@internal/sandbox/testUtils';

const repoRoot = path.resolve(__dirname, '../../..');

jest.setTimeout(60_000);

/**
 * The development config (app-config.yaml and app-config.sandbox.yaml, as `make start` loads
 * them) against a running sandbox: the portal's own GitHub calls use its GitHub App's
 * installation tokens, as in production.
 */
describe("the dev config's GitHub App", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  const env = { ...process.env };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    // What `make start` and the e2e suite set: the sandbox's host and data folder.
    process.env.SANDBOX_HOST = new URL(sandbox.url).host;
    process.env.SANDBOX_DATA = sandbox.dataDir;
  });
  afterAll(async () => {
    process.env = env;
    await sandbox?.stop();
  });

  it('gets an installation token from the sandbox, and the sandbox counts its calls under the installation', async () => {
    const config = await ServiceFactoryTester.from(
      rootConfigServiceFactory({
        argv: [
          'node',
          'backend',
          '--config',
          path.join(repoRoot, 'app-config.yaml'),
          '--config',
          path.join(repoRoot, 'app-config.sandbox.yaml'),
        ],
        watch: false,
      }),
    ).getSubject();
    const github = config.getConfigArray('integrations.github')[0];
    expect(github.has('token')).toBe(false);
    expect(github.getConfigArray('apps')[0].getNumber('appId')).toBe(3001);

    const { github: endpoints } = await sandbox.admin('GET', '/endpoints');
    const locate = gitOpsRepositoryLocator(config);
    await sandbox.admin('DELETE', '/stats');
    const first = await locate();
    expect(first).toMatchObject({
      apiBaseUrl: endpoints.apiBaseUrl,
      owner: 'omnivision-ai',
      repo: 'omnivision-gitops',
      token: expect.stringMatching(/^ghs_/),
    });
    // Cached until shortly before it expires.
    expect((await locate()).token).toBe(first.token);

    const res = await fetch(
      `${endpoints.apiBaseUrl}/repos/${first.owner}/${first.repo}/branches/main`,
      { headers: { authorization: `token ${first.token}` } },
    );
    expect(res.status).toBe(200);
    const stats = await sandbox.admin('GET', '/stats');
    expect(stats.github.byTokenAndEndpoint).toEqual({
      [endpoints.app.principals.app]: {
        'GET /app/installations': 1,
        'POST /app/installations/{installation_id}/access_tokens': 1,
      },
      [endpoints.app.principals.installation]: {
        'GET /repos/{owner}/{repo}/branches/main': 1,
      },
    });
  });
});
