import type { ServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DIGEST,
  deploymentConfigFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import { startTestSandbox } from '@internal/sandbox/testUtils';
import { Octokit } from '@octokit/rest';
import type request from 'supertest';
import { omnivisionPlugin } from '../plugin';

export const repo = { owner: 'omnivision-ai', repo: 'omnivision-gitops' };

const person = (name: string, team: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [team] },
  relations: [{ type: 'memberOf', targetRef: `group:default/${team}` }],
});

/** The catalog the deploy flow reads: one model and people of each team. */
export const entities = [
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
  // startTestBackend's default caller (mockCredentials.user()).
  person('mock', 'data-science'),
  person('maya-chen', 'data-science'),
  person('omar-haddad', 'data-science'),
  person('lena-fischer', 'platform-team'),
];

/** A started sandbox and omnivision backend. */
export interface DeploymentBackend {
  sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  server: Parameters<typeof request>[0];
  /** Octokit as a sandbox user. */
  octokit(login: string): Octokit;
  /** A sandbox user's GitHub token, as their GitHub sign-in gives it. */
  tokenOf(login: string): string;
  stop(): Promise<void>;
}

/** A sandbox, and the omnivision backend configured against it as `make start` does. */
export async function startDeploymentBackend(
  options: { features?: ServiceFactory[]; sandboxSyncMs?: number } = {},
): Promise<DeploymentBackend> {
  const sandbox = await startTestSandbox(
    options.sandboxSyncMs
      ? {
          sync: {
            intervalMs: options.sandboxSyncMs,
            autoscaleDelayMs: 500,
            clockFactor: 600,
          },
        }
      : {},
  );
  const { github, clusters } = await sandbox.admin('GET', '/endpoints');
  const host = new URL(github.apiBaseUrl).host;
  const octokit = (login: string) =>
    new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: github.users.find((u: any) => u.login === login).token,
    });
  const tokenOf = (login: string): string =>
    github.users.find((u: any) => u.login === login).token;
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
                  // The API servers' certificate comes from the sandbox's own CA.
                  caData: c.caData,
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
            ...deploymentConfigFixture({
              regions: clusters.map((c: any) => ({
                id: c.region,
                cluster: c.name,
                cloud: c.cloud,
                gitopsFolder: `infrastructure/cluster-${c.cloud}`,
              })),
            }),
            teamQuotas: [{ team: 'data-science', maxGpus: 32 }],
            gitops: { host, ...repo },
            fleet: {
              probeInterval: { milliseconds: 500 },
              staleAfter: { seconds: 3 },
              requestTimeout: { seconds: 2 },
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities }),
      ...(options.features ?? []),
    ],
  });
  return {
    sandbox,
    server: backend.server,
    octokit,
    tokenOf,
    async stop() {
      await backend.stop();
      await sandbox.stop();
    },
  };
}
