import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GitOpsPullRequests } from '@internal/plugin-omnivision-node';
import { eventually, startTestSandbox } from '@internal/sandbox/testUtils';
import { metrics as otelMetrics } from '@opentelemetry/api';
import {
  DataPoint,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { AuditEventInput, AuditTrail } from './audit/AuditTrail';
import { OMNIVISION_METRIC_NAMES, OmniVisionMetrics } from './metrics';
import { omnivisionPlugin } from './plugin';
import { GitHubWebhookSubscriber } from './requests/GitHubWebhookSubscriber';
import type { RequestLifecycle } from './requests/RequestLifecycle';

jest.setTimeout(60_000);

/** A reader the test collects from when it likes: what a Prometheus scrape would read. */
class CollectingReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}

  /** The data points of one instrument, across every meter (instrumentation scope). */
  async points(name: string): Promise<DataPoint<number>[]> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics.flatMap(scope =>
      scope.metrics
        .filter(m => m.descriptor.name === name)
        .flatMap(m => m.dataPoints as DataPoint<number>[]),
    );
  }

  async value(
    name: string,
    attributes: Record<string, string>,
  ): Promise<number | undefined> {
    const points = await this.points(name);
    return points.find(p =>
      Object.entries(attributes).every(([k, v]) => p.attributes[k] === v),
    )?.value;
  }
}

/** Instruments on an in-memory MeterProvider, as Backstage's metrics service makes them. */
function inMemoryMetrics() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  const meter = provider.getMeter('backstage-plugin-omnivision');
  return {
    reader,
    metrics: OmniVisionMetrics.create(meter as unknown as MetricsService),
  };
}

const names = OMNIVISION_METRIC_NAMES;

describe('fleet metrics, the whole plugin against the sandbox', () => {
  // Backstage's metrics service reads the global MeterProvider, as the instrumentation file sets it.
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  let stopBackend: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    otelMetrics.setGlobalMeterProvider(provider);
    sandbox = await startTestSandbox();
    const { clusters } = await sandbox.admin('GET', '/endpoints');
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
                    caData: c.caData,
                  })),
                },
              ],
            },
            omnivision: {
              regions: clusters.map((c: any) => ({
                id: c.region,
                cluster: c.name,
                cloud: c.cloud,
              })),
              fleet: {
                probeInterval: { milliseconds: 300 },
                staleAfter: '3s',
                requestTimeout: { seconds: 1 },
              },
            },
          },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await sandbox?.admin('DELETE', '/clusters/gke-europe-west1/faults');
    await stopBackend?.();
    await sandbox?.stop();
    otelMetrics.disable();
  });

  it("reports each cluster's staleness by cluster and region, and a failing cluster's errors and growing staleness", async () => {
    const eks = { cluster: 'eks-us-west-2', region: 'us-west-2' };
    const gke = { cluster: 'gke-europe-west1', region: 'europe-west1' };
    // Both clusters heard from within the probe interval, and every pods cache current.
    await eventually(async () => {
      const fresh = await Promise.all(
        [eks, gke].map(async c => [
          await reader.value(names.clusterStaleness, c),
          await reader.value(names.cacheStaleness, {
            ...c,
            resource: 'pods',
          }),
        ]),
      );
      return fresh.flat().every(v => v !== undefined && v < 2);
    }, 20_000);
    const probe503 = { operation: 'probe', resource: 'version', reason: '503' };
    expect(await reader.value(names.cacheErrors, { ...gke, ...probe503 })).toBe(
      undefined,
    );

    await sandbox.admin('POST', '/clusters/gke-europe-west1/faults', {
      mode: 'status',
      status: 503,
    });
    // Its requests fail with 503, counted; it falls behind; the other cluster stays fresh.
    const errors503 = async (c: { cluster: string }) =>
      (await reader.points(names.cacheErrors))
        .filter(
          p =>
            p.attributes.cluster === c.cluster && p.attributes.reason === '503',
        )
        .reduce((sum, p) => sum + p.value, 0);
    await eventually(async () => (await errors503(gke)) >= 2, 15_000);
    await eventually(
      async () => ((await reader.value(names.clusterStaleness, gke)) ?? 0) > 3,
      10_000,
    );
    // eks stays fresh (its probe answers every second): read until it has caught up, since a
    // busy machine may delay one probe.
    await eventually(
      async () => ((await reader.value(names.clusterStaleness, eks)) ?? 99) < 2,
      10_000,
    );
    expect(await errors503(eks)).toBe(0);

    await sandbox.admin('DELETE', '/clusters/gke-europe-west1/faults');
    await eventually(
      async () => ((await reader.value(names.clusterStaleness, gke)) ?? 99) < 2,
      15_000,
    );
  });
});

describe("the portal's GitHub rate limit against the sandbox's GitHub", () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });

  afterAll(() => sandbox?.stop());

  it("reports what GitHub's x-ratelimit headers said to the portal, and nothing before any call", async () => {
    const { github } = await sandbox.admin('GET', '/endpoints');
    const gitOps = GitOpsPullRequests.create({
      repository: async () => ({
        apiBaseUrl: github.apiBaseUrl,
        owner: github.owner,
        repo: github.repo,
        baseBranch: 'main',
        token: github.app.token,
      }),
    });
    const { reader, metrics } = inMemoryMetrics();
    metrics.observeGitHubRateLimits(() => gitOps.rateLimits());
    expect(await reader.points(names.gitHubRateLimitRemaining)).toEqual([]);

    await gitOps.list();
    // The sandbox answers X-RateLimit-Limit 5000 and X-RateLimit-Remaining 4999, without a resource.
    expect(
      await reader.value(names.gitHubRateLimitRemaining, { resource: 'core' }),
    ).toBe(4999);
    expect(
      await reader.value(names.gitHubRateLimitLimit, { resource: 'core' }),
    ).toBe(5000);

    // A second list is a 304 (conditional read): its headers are read all the same.
    await gitOps.list();
    expect(gitOps.notModifiedReads).toBeGreaterThan(0);
    expect(gitOps.rateLimits()).toEqual([
      expect.objectContaining({ resource: 'core', remaining: 4999 }),
    ]);
  });
});

describe('webhook deliveries', () => {
  function subscriber(lifecycle: Partial<RequestLifecycle>) {
    const { reader, metrics } = inMemoryMetrics();
    const webhooks = GitHubWebhookSubscriber.create({
      lifecycle: lifecycle as RequestLifecycle,
      repository: 'omnivision-ai/omnivision-gitops',
      logger: mockServices.logger.mock(),
      metrics,
    });
    return { reader, webhooks };
  }

  const push = (repository: string) => ({
    topic: 'github.push',
    eventPayload: {
      repository: { full_name: repository },
      ref: 'refs/heads/deploy/vidgen-xl',
      after: 'a'.repeat(40),
    },
  });

  it('counts each delivery by event and outcome: accepted, ignored, failed', async () => {
    let fail = false;
    const { reader, webhooks } = subscriber({
      branchPushed: async () => {
        if (fail) throw new Error('database is gone');
      },
    });
    await webhooks.handle(push('omnivision-ai/omnivision-gitops'));
    await webhooks.handle(push('omnivision-ai/omnivision-gitops'));
    await webhooks.handle(push('someone-else/repo'));
    fail = true;
    await webhooks.handle(push('Omnivision-AI/omnivision-gitops'));

    const counts = (await reader.points(names.webhookDeliveries)).map(p => [
      p.attributes.event,
      p.attributes.outcome,
      p.value,
    ]);
    expect(counts).toEqual(
      expect.arrayContaining([
        ['push', 'accepted', 2],
        ['push', 'ignored', 1],
        ['push', 'failed', 1],
      ]),
    );
    expect(counts).toHaveLength(3);
  });
});

describe('audit write failures', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('counts an event the database could not write, by action, and still throws', async () => {
    const knex = await databases.init('SQLITE_3');
    const { reader, metrics } = inMemoryMetrics();
    const audit = await AuditTrail.create({
      database: { getClient: async () => knex } as DatabaseService,
      metrics,
    });
    const event = {
      actor: 'user:default/maya-chen',
      action: 'request.created',
      outcome: 'succeeded',
    } satisfies AuditEventInput;
    await audit.append(event);
    expect(await reader.points(names.auditWriteFailures)).toEqual([]);

    // The database goes away.
    await knex.destroy();
    await expect(audit.append(event)).rejects.toThrow();
    expect(
      await reader.value(names.auditWriteFailures, {
        action: 'request.created',
        reason: 'database',
      }),
    ).toBe(1);
  });
});
