import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  BackendFeature,
  ServiceFactory,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import type { Knex } from 'knex';
import {
  DIGEST,
  VERSIONS,
  deploymentConfigFixture,
} from '@internal/plugin-omnivision-common/testUtils';
import {
  cloudIdentityEnvironment,
  portalGitHubIntegration,
  startTestSandbox,
} from '@internal/sandbox/testUtils';
import { Octokit } from '@octokit/rest';
import type request from 'supertest';
import { omnivisionPlugin } from '../plugin';
import {
  TaskRun,
  recordingSchedulerFactory,
} from './recordingSchedulerFactory';

export const repo = { owner: 'omnivision-ai', repo: 'omnivision-gitops' };

const person = (name: string, ...teams: string[]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: teams },
  relations: teams.map(team => ({
    type: 'memberOf',
    targetRef: `group:default/${team}`,
  })),
});

/**
 * The events backend's GitHub modules (the webhook ingress with its X-Hub-Signature-256 check,
 * and the router to `github.<event>` topics). The package's entry point loads them with a dynamic
 * `import()`, which Jest's CommonJS runtime cannot run, so the tests load the same two modules
 * from its files.
 */
function githubEventsModules(): BackendFeature[] {
  const dist = path.dirname(
    require.resolve('@backstage/plugin-events-backend-module-github'),
  );
  return [
    'service/eventsModuleGithubWebhook.cjs.js',
    'service/eventsModuleGithubEventRouter.cjs.js',
  ].map(file => require(path.join(dist, file)).default);
}

/** The webhook secret of the test backends and their sandboxes. */
const WEBHOOK_SECRET = 'test-webhook-secret';

/** A model of the catalog, an ai-model owned by data-science. */
const model = (name: string, spec: Record<string, unknown> = {}) => ({
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
      ...spec,
    },
  },
});

/** The catalog the deploy flow reads: models and people of each team. */
export const entities = [
  model('vidgen-xl'),
  model('upscaler-4k'),
  model('vidgen-lite'),
  model('colorizer'),
  // A model that lists its versions: 2.2.0-rc.1 (unsigned), 2.1.0 and 2.0.0.
  model('vidgen-versioned', {
    imageDigest: undefined,
    signed: undefined,
    versions: VERSIONS,
  }),
  // A model the platform team owns: data scientists may not roll it back or retire it.
  {
    ...model('traffic-shaper'),
    spec: { ...model('traffic-shaper').spec, owner: 'platform-team' },
  },
  // startTestBackend's default caller (mockCredentials.user()).
  person('mock', 'data-science'),
  person('maya-chen', 'data-science'),
  person('omar-haddad', 'data-science'),
  person('lena-fischer', 'platform-team'),
  person('raj-patel', 'platform-team'),
  // A person in both teams, as small teams have.
  person('sam-okafor', 'data-science', 'platform-team'),
];

/** A started sandbox and omnivision backend. */
export interface DeploymentBackend {
  sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  server: Parameters<typeof request>[0];
  /** The port of `server` on 127.0.0.1. */
  port: number;
  /** Octokit as a sandbox user. */
  octokit(login: string): Octokit;
  /** A sandbox user's GitHub token, as their GitHub sign-in gives it. */
  tokenOf(login: string): string;
  /** Notifications the backend sent, in order. */
  notifications: NotificationSendOptions[];
  /** Signals the backend published, in order. */
  signals: SignalPayload[];
  /** Every run of a scheduled task on this backend (`primary`) and its replicas. */
  taskRuns: TaskRun[];
  /** Where the sandbox delivers GitHub's webhooks from now on (the primary's events endpoint at first). */
  deliverWebhooksTo(url: string): Promise<void>;
  /** The first backend (`server`), to stop it alone. */
  primary: Replica;
  /** Another backend (a replica, `replica-<n>`) on the same sandbox, config and database. */
  startReplica(): Promise<Replica>;
  stop(): Promise<void>;
}

/** One backend of a {@link DeploymentBackend}. */
export interface Replica {
  /** `primary` or `replica-<n>`, as its task runs name it. */
  name: string;
  server: Parameters<typeof request>[0];
  /** Its port on 127.0.0.1. */
  port: number;
  /** Stops it as a shutdown does: its scheduler, plugins and HTTP server (once; again is a no-op). */
  stop(): Promise<void>;
}

/**
 * A sandbox, and the omnivision backend configured against it as `make start` does: GitHub's
 * webhooks delivered by the sandbox to the backend's events endpoint, the real scheduler (the
 * reconciler every 2 s, fleet observations every second; each task run recorded in `taskRuns`),
 * notifications and signals captured.
 * With `knex`, every plugin uses that database (e.g. one PostgreSQL shared by two replicas).
 */
export async function startDeploymentBackend(
  options: {
    features?: ServiceFactory[];
    sandboxSyncMs?: number;
    knex?: Knex;
  } = {},
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
  // The AWS SDK and google-auth-library read the fleet's cloud identity from the environment,
  // as in a pod on EKS or GKE: the sandbox's, for this test file's process.
  const environmentBefore = { ...process.env };
  Object.assign(process.env, cloudIdentityEnvironment(sandbox.sandbox));
  const host = new URL(github.apiBaseUrl).host;
  const octokit = (login: string) =>
    new Octokit({
      baseUrl: github.apiBaseUrl,
      auth: github.users.find((u: any) => u.login === login).token,
    });
  const tokenOf = (login: string): string =>
    github.users.find((u: any) => u.login === login).token;
  const notifications: NotificationSendOptions[] = [];
  const signals: SignalPayload[] = [];
  const taskRuns: TaskRun[] = [];
  const config = {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          // Read with the sandbox's cloud identity, as app-config.sandbox.yaml does.
          clusters: clusters.map((c: any) => ({
            name: c.name,
            url: c.url,
            authProvider: c.auth.backstageAuthProvider,
            // The API servers' certificate comes from the sandbox's own CA.
            caData: c.caData,
          })),
        },
      ],
    },
    // The portal's GitHub App, with the key the sandbox generated (app-config.sandbox.yaml's
    // `apps:`). Its webhook secret is the events module's own: given in the app entry too, the
    // module looks the app up through a dynamic import(), which Jest cannot run, and every
    // delivery would fail with a 500.
    integrations: { github: [portalGitHubIntegration(github)] },
    events: { modules: { github: { webhookSecret: WEBHOOK_SECRET } } },
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
      requests: {
        reconcileInterval: { seconds: 2 },
        observeInterval: { seconds: 1 },
      },
      fleet: {
        probeInterval: { milliseconds: 500 },
        staleAfter: { seconds: 3 },
        requestTimeout: { seconds: 2 },
      },
    },
  };
  const start = (name: string) =>
    startTestBackend({
      features: [
        omnivisionPlugin,
        eventsPlugin,
        ...githubEventsModules(),
        recordingSchedulerFactory(name, taskRuns),
        mockServices.rootConfig.factory({ data: config }),
        ...(options.knex
          ? [mockServices.database.factory({ knex: options.knex })]
          : []),
        catalogServiceMock.factory({ entities }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (sent: NotificationSendOptions) => {
              notifications.push(sent);
            },
          }),
        }),
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async (signal: SignalPayload<any>) => {
              signals.push(signal);
            },
          }),
        }),
        ...(options.features ?? []),
      ],
    });
  const backendOf = async (name: string): Promise<Replica> => {
    const started = await start(name);
    let stopped: Promise<void> | undefined;
    return {
      name,
      server: started.server,
      port: (started.server.address() as AddressInfo).port,
      stop: () => (stopped ??= started.stop()),
    };
  };
  const backend = await backendOf('primary');
  const { port } = backend;
  const deliverWebhooksTo = async (url: string) => {
    await sandbox.admin('PUT', '/webhooks/config', {
      url,
      secret: WEBHOOK_SECRET,
    });
  };
  await deliverWebhooksTo(`http://127.0.0.1:${port}/api/events/http/github`);
  const replicas: Replica[] = [];
  return {
    sandbox,
    server: backend.server,
    port,
    octokit,
    tokenOf,
    notifications,
    signals,
    taskRuns,
    deliverWebhooksTo,
    primary: backend,
    async startReplica() {
      const replica = await backendOf(`replica-${replicas.length + 1}`);
      replicas.push(replica);
      return replica;
    },
    async stop() {
      for (const replica of replicas) await replica.stop();
      await backend.stop();
      await sandbox.stop();
      process.env = environmentBefore;
    },
  };
}
