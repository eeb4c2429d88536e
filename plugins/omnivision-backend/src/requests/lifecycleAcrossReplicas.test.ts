import { TestDatabases } from '@backstage/backend-test-utils';
import { requestFixture } from '@internal/plugin-omnivision-common/testUtils';
import { eventually } from '@internal/sandbox/testUtils';
import type { Knex } from 'knex';
import request from 'supertest';
import { as, openRequest, userRef } from '../__testUtils__/requestFlow';
import type { TaskRun } from '../__testUtils__/recordingSchedulerFactory';
import { startRoundRobin } from '../__testUtils__/startRoundRobin';
import {
  DeploymentBackend,
  startDeploymentBackend,
} from '../__testUtils__/startDeploymentBackend';

jest.setTimeout(240_000);

const maya = userRef('maya-chen');
const lena = userRef('lena-fischer');

/** How many times each lifecycle event of a request is in the audit trail, read from the database. */
async function lifecycleCounts(knex: Knex, number: number) {
  const rows: Array<{ action: string; region: string | null }> = await knex(
    'omnivision_audit_events',
  )
    .where({ pull_request_number: number, outcome: 'succeeded' })
    .whereIn('action', [
      'request.created',
      'pull-request.opened',
      'review.approved',
      'pull-request.merged',
      'deployment.synced',
      'deployment.healthy',
    ])
    .select('action', 'region');
  const counts: Record<string, number> = {};
  for (const { action, region } of rows) {
    const event = region ? `${action} ${region}` : action;
    counts[event] = (counts[event] ?? 0) + 1;
  }
  return counts;
}

/** Succeeded audit rows of a request that say the same thing as an earlier one. */
async function repeatedEvents(knex: Knex, number: number) {
  const rows: Array<{ action: string; region: string | null; reason: string }> =
    await knex('omnivision_audit_events')
      .where({ pull_request_number: number, outcome: 'succeeded' })
      .orderBy('seq')
      .select('action', 'region', 'reason');
  const seen = new Set<string>();
  return rows
    .map(r => `${r.action}|${r.region ?? ''}|${r.reason}`)
    .filter(event => seen.has(event) || !seen.add(event));
}

/**
 * What Backstage's scheduler promises for global tasks, checked on the runs of both replicas:
 * never two runs of a task at once, and no more runs than one per interval since the backends
 * started (each backend's registration may start one early, hence the 2). A `local` task on two
 * replicas would run about twice as often and fail here.
 */
function taskRunViolations(runs: TaskRun[], since: number, until: number) {
  const violations: string[] = [];
  const byTask = new Map<string, TaskRun[]>();
  for (const run of runs.filter(r => r.scope === 'global')) {
    byTask.set(run.taskId, [...(byTask.get(run.taskId) ?? []), run]);
  }
  for (const [taskId, taskRuns] of byTask) {
    const sorted = [...taskRuns].sort((x, y) => x.startedAt - y.startedAt);
    sorted.slice(1).forEach((run, i) => {
      const previous = sorted[i];
      if ((previous.endedAt ?? Infinity) > run.startedAt) {
        violations.push(
          `${taskId}: ${run.backend} started while ${previous.backend} ran it`,
        );
      }
    });
    const { frequencyMs } = sorted[0];
    const most = frequencyMs && Math.floor((until - since) / frequencyMs) + 2;
    if (most && sorted.length > most) {
      violations.push(
        `${taskId}: ${sorted.length} runs in ${
          until - since
        } ms, every ${frequencyMs} ms`,
      );
    }
  }
  return violations;
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
// Only on PostgreSQL, which two processes can share: `make unit` passes the server on
// 127.0.0.1:5432 when one answers (CI starts one); without it TestDatabases skips it, visibly.
const describeOnPostgres = databases.supports('POSTGRES_15')
  ? describe
  : describe.skip;

describeOnPostgres(
  'two replicas behind one address on one PostgreSQL, one stopped midway',
  () => {
    it('deploy on A, approve on B, stop A, merge on B: healthy, each event and task run once, nothing lost', async () => {
      const knex = await databases.init('POSTGRES_15');
      const since = Date.now();
      // A is the harness's first backend, B its replica: each with the real scheduler, events
      // backend and reconciler, on one database and one sandbox.
      const backend: DeploymentBackend = await startDeploymentBackend({
        sandboxSyncMs: 200,
        knex,
      });
      let balancer: Awaited<ReturnType<typeof startRoundRobin>> | undefined;
      try {
        const a = backend.primary;
        // A runs the reconciler's tasks alone first, so the one that stops held them.
        await eventually(
          () =>
            backend.taskRuns.some(
              r => r.taskId === 'omnivision-requests-fleet',
            ),
          30_000,
        );
        const b = await backend.startReplica();
        balancer = await startRoundRobin([a.port, b.port]);
        // GitHub's webhooks go to one address, which spreads them over both replicas.
        await backend.deliverWebhooksTo(
          `${balancer.url}/api/events/http/github`,
        );
        const api = (server: typeof a.server) => request(server);
        const fleetOf = async (server: typeof a.server) => {
          const res = await api(server)
            .get('/api/omnivision/fleet')
            .set('authorization', as(maya));
          return res.status === 200 &&
            res.body.clusters.every((c: any) => c.health.reachable)
            ? res.body.clusters.map((c: any) => c.name).sort()
            : undefined;
        };
        const clusters = ['eks-us-west-2', 'gke-europe-west1'];
        // Each replica answers the fleet from its own watch caches.
        expect(await eventually(() => fleetOf(a.server), 60_000)).toEqual(
          clusters,
        );
        expect(await eventually(() => fleetOf(b.server), 60_000)).toEqual(
          clusters,
        );

        // Deploy through A.
        const number = await openRequest(
          { ...backend, server: a.server },
          'maya-chen',
          requestFixture({ minReplicas: 1, maxReplicas: 2 }),
        );
        // Approve through B, as the approver on GitHub.
        const approved = await api(b.server)
          .post(`/api/omnivision/requests/${number}/reviews`)
          .set('authorization', as(lena))
          .set('x-github-token', backend.tokenOf('lena-fischer'))
          .send({ event: 'APPROVE' });
        expect(approved.status).toBe(201);
        expect(approved.body.progress.state).toBe('approved');
        // Every webhook so far is in; the round robin gave both replicas some.
        await backend.sandbox.admin('POST', '/webhooks/drain');
        expect(new Set(balancer.forwards.map(f => f.port))).toEqual(
          new Set([a.port, b.port]),
        );

        // A stops as a shutdown stops it: its scheduler, plugins and HTTP server.
        await a.stop();
        const stoppedAt = Date.now();
        await expect(
          request(`http://127.0.0.1:${a.port}`).get('/api/omnivision/fleet'),
        ).rejects.toThrow(/ECONNREFUSED/);

        // Merge through B; the sandbox's Argo CD syncs and the rollout turns healthy.
        const merged = await api(b.server)
          .post(`/api/omnivision/requests/${number}/merge`)
          .set('authorization', as(lena))
          .set('x-github-token', backend.tokenOf('lena-fischer'))
          .send();
        expect(merged.status).toBe(200);
        await eventually(async () => {
          const res = await api(b.server)
            .get(`/api/omnivision/requests/${number}`)
            .set('authorization', as(maya));
          return res.body.progress?.state === 'healthy' ? true : undefined;
        }, 120_000);
        // A few more reconciler runs, and the last webhooks, add nothing.
        await new Promise(resolve => setTimeout(resolve, 3_000));
        await backend.sandbox.admin('POST', '/webhooks/drain');
        const until = Date.now();

        // B alone answers the fleet now.
        expect(await fleetOf(b.server)).toEqual(clusters);

        // No request lost: B lists it, healthy, every step of its timeline done.
        const listed = await api(b.server)
          .get('/api/omnivision/requests')
          .set('authorization', as(maya));
        const item = listed.body.items.find(
          (r: any) => r.pullRequestNumber === number,
        );
        expect(item.progress.state).toBe('healthy');
        expect(
          item.progress.timeline.map((s: any) =>
            [s.stage, s.region, s.done].filter(x => x !== undefined).join(' '),
          ),
        ).toEqual([
          'requested true',
          'pr-opened true',
          'approved true',
          'merged true',
          ...item.regions.flatMap((region: string) => [
            `synced ${region} true`,
            `canary ${region} true`,
            `healthy ${region} true`,
          ]),
        ]);
        // No webhook lost: each delivered, those after the stop by B.
        const { items: deliveries } = await backend.sandbox.admin(
          'GET',
          '/webhooks/deliveries',
        );
        expect(deliveries.filter((d: any) => d.status !== 'delivered')).toEqual(
          [],
        );
        const afterStop = balancer.forwards.filter(f => f.at > stoppedAt);
        expect(afterStop.length).toBeGreaterThan(0);
        expect(afterStop.filter(f => f.port !== b.port)).toEqual([]);

        // Each lifecycle event once in the audit trail, whichever replica saw it; no event twice.
        expect(await lifecycleCounts(knex, number)).toEqual({
          'request.created': 1,
          'pull-request.opened': 1,
          'review.approved': 1,
          'pull-request.merged': 1,
          'deployment.synced europe-west1': 1,
          'deployment.synced us-west-2': 1,
          'deployment.healthy europe-west1': 1,
          'deployment.healthy us-west-2': 1,
        });
        expect(await repeatedEvents(knex, number)).toEqual([]);
        const verified = await api(b.server)
          .get('/api/omnivision/audit/verify')
          .set('authorization', as(lena));
        expect(verified.body).toEqual({
          valid: true,
          events: Number(
            (await knex('omnivision_audit_events').count({ n: '*' }))[0].n,
          ),
          head: expect.any(String),
        });

        // The scheduler: each global task once at a time and once per interval across both;
        // A ran them until its stop and nothing after; B took over the fleet observations that
        // made the request healthy.
        expect(taskRunViolations(backend.taskRuns, since, until)).toEqual([]);
        expect(
          backend.taskRuns.filter(
            r => r.backend === a.name && r.startedAt > stoppedAt,
          ),
        ).toEqual([]);
        expect(
          backend.taskRuns.filter(
            r =>
              r.backend === b.name &&
              r.taskId === 'omnivision-requests-fleet' &&
              r.startedAt > stoppedAt,
          ).length,
        ).toBeGreaterThan(0);
      } finally {
        await balancer?.stop();
        await backend.stop();
      }
    });
  },
);
