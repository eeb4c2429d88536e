import type { RegionalModelDeployment } from '../fleet/FleetStatus';
import { requestFixture } from '../testing/deploymentFixtures';
import type { DeploymentRequestRecord } from './deploymentRequests';
import { evaluateApproval, PullRequestReview } from './requestApproval';
import {
  DeploymentObservation,
  PullRequestProgress,
  computeDeploymentProgress,
  observeRegionalDeployment,
  observeRetirement,
} from './requestProgress';

const record: DeploymentRequestRecord = {
  ...requestFixture({ minReplicas: 1, maxReplicas: 2 }),
  kind: 'deploy',
  pullRequestNumber: 7,
  pullRequestUrl: 'https://github.com/o/r/pull/7',
  branch: 'omnivision/deploy-vidgen-xl-0a1b2c3d',
  requester: 'user:default/maya-chen',
  team: 'group:default/data-science',
  policyResults: [],
  filesDigest: 'sha256:x',
  createdAt: '2026-11-24T09:00:00.000Z',
  updatedAt: '2026-11-24T09:00:00.000Z',
};

const HEAD = 'a'.repeat(40);
const review = (
  id: number,
  user: string,
  state: PullRequestReview['state'],
  commitId = HEAD,
): PullRequestReview => ({
  id,
  user,
  state,
  commitId,
  submittedAt: `2026-11-24T09:${String(id).padStart(2, '0')}:00Z`,
});

function pullOf(
  reviews: PullRequestReview[],
  overrides: Partial<PullRequestProgress> = {},
): PullRequestProgress {
  return {
    state: 'open',
    merged: false,
    headSha: HEAD,
    reviews,
    approval: evaluateApproval({
      requesterLogin: 'maya-chen',
      headSha: overrides.headSha ?? HEAD,
      reviews,
      isCodeOwner: login =>
        ['lena-fischer', 'raj-patel', 'sam-okafor'].includes(login),
    }),
    ...overrides,
  };
}

const merged = pullOf([review(30, 'lena-fischer', 'APPROVED')], {
  state: 'closed',
  merged: true,
  mergedAt: '2026-11-24T10:00:00.000Z',
  mergeSha: 'm3rge',
});

function deployment(
  region: string,
  overrides: Partial<RegionalModelDeployment> = {},
): RegionalModelDeployment {
  return {
    model: 'vidgen-xl',
    cluster: `c-${region}`,
    region,
    cloud: region === 'us-west-2' ? 'aws' : 'gcp',
    stale: false,
    rolloutPhase: 'Progressing',
    canaryStep: 1,
    canarySteps: 4,
    canaryWeight: 5,
    readyReplicas: 0,
    replicas: 1,
    syncStatus: 'Synced',
    healthStatus: 'Progressing',
    revision: 'm3rge',
    reconciledAt: '2026-11-24T10:00:05.000Z',
    ...overrides,
  };
}

const NOW = new Date('2026-11-24T10:01:00.000Z');
const observe = (...ds: RegionalModelDeployment[]): DeploymentObservation[] =>
  ds.flatMap(d => observeRegionalDeployment(merged, d, NOW));
const state = (pull: PullRequestProgress, obs: DeploymentObservation[] = []) =>
  computeDeploymentProgress(record, pull, obs).state;

describe('computeDeploymentProgress', () => {
  it('follows the gate: awaiting review, changes requested, approved, closed', () => {
    expect(state(pullOf([]))).toBe('awaiting-review');
    expect(state(pullOf([review(1, 'raj-patel', 'CHANGES_REQUESTED')]))).toBe(
      'changes-requested',
    );
    // A later review of the same person replaces their earlier one; comments do not count.
    expect(
      state(
        pullOf([
          review(1, 'raj-patel', 'CHANGES_REQUESTED'),
          review(2, 'raj-patel', 'APPROVED'),
          review(3, 'lena-fischer', 'COMMENTED'),
        ]),
      ),
    ).toBe('approved');
    expect(state(pullOf([], { state: 'closed' }))).toBe('closed');
  });

  it("never shows the requester's own approval, nor one of an earlier head, as approved", () => {
    const own = pullOf([review(1, 'maya-chen', 'APPROVED')]);
    expect(state(own)).toBe('awaiting-review');
    expect(own.approval.description).toContain(
      "the requester's own approval does not count",
    );
    const stale = pullOf([
      review(1, 'lena-fischer', 'APPROVED', 'b'.repeat(40)),
    ]);
    expect(state(stale)).toBe('awaiting-review');
    expect(stale.approval.description).toContain('earlier commits');
    const { timeline } = computeDeploymentProgress(record, own, []);
    expect(timeline.find(s => s.stage === 'approved')?.done).toBe(false);
  });

  it('is synced only when every region reconciled the merge, healthy when every canary finished', () => {
    // An Application from before the merge is not observed as synced.
    const old = deployment('us-west-2', {
      revision: 'older',
      reconciledAt: '2026-11-24T09:59:00.000Z',
    });
    expect(state(merged, observe(old, deployment('europe-west1')))).toBe(
      'merged',
    );
    expect(
      state(
        merged,
        observe(
          deployment('us-west-2', { revision: 'later' }),
          deployment('europe-west1'),
        ),
      ),
    ).toBe('synced');
    const progress = computeDeploymentProgress(
      record,
      merged,
      observe(
        deployment('us-west-2', {
          rolloutPhase: 'Healthy',
          healthStatus: 'Healthy',
          canaryStep: 4,
          canaryWeight: 100,
          readyReplicas: 1,
        }),
        deployment('europe-west1'),
      ),
    );
    expect(progress.state).toBe('synced');
    expect(
      progress.timeline
        .filter(s => s.region)
        .map(s => [s.stage, s.region, s.done, s.detail]),
    ).toEqual([
      ['synced', 'us-west-2', true, 'm3rge'],
      ['canary', 'us-west-2', true, 'step 4 of 4, 100% of traffic'],
      ['healthy', 'us-west-2', true, '1/1 replicas ready'],
      ['synced', 'europe-west1', true, 'm3rge'],
      ['canary', 'europe-west1', false, 'step 1 of 4, 5% of traffic'],
      ['healthy', 'europe-west1', false, undefined],
    ]);
    const healthy = { rolloutPhase: 'Healthy', healthStatus: 'Healthy' };
    expect(
      state(
        merged,
        observe(
          deployment('us-west-2', healthy),
          deployment('europe-west1', healthy),
        ),
      ),
    ).toBe('healthy');
  });

  it('shows a degraded rollout as failed, and observations of another merge not at all', () => {
    const progress = computeDeploymentProgress(
      record,
      merged,
      observe(
        deployment('us-west-2', {
          rolloutPhase: 'Degraded',
          message: 'RolloutAborted: gpu-health-check failed',
        }),
      ),
    );
    expect(progress.state).toBe('failed');
    expect(progress.timeline.find(s => s.stage === 'failed')).toMatchObject({
      stage: 'failed',
      region: 'us-west-2',
      detail: 'RolloutAborted: gpu-health-check failed',
    });
    // An update its analysis aborted says why, with the evidence.
    const aborted = computeDeploymentProgress(
      record,
      merged,
      observe(
        deployment('us-west-2', {
          rolloutPhase: 'Degraded',
          message: 'RolloutAborted: Rollout aborted update to revision 2',
          abortReason:
            'gpu-health-check failed at step 1: 50 breaks result[0] <= 0',
          analysis: {
            run: 'vidgen-xl-h2-2',
            phase: 'Failed',
            metric: 'gpu-health-check',
            query: 'sum(DCGM_FI_DEV_XID_ERRORS{pod=~"vidgen-xl-h2-.*"})',
            value: '[50]',
            condition: 'result[0] <= 0',
          },
        }),
      ),
    );
    expect(aborted.timeline.find(s => s.stage === 'failed')?.detail).toBe(
      'gpu-health-check failed at step 1: 50 breaks result[0] <= 0 (query: sum(DCGM_FI_DEV_XID_ERRORS{pod=~"vidgen-xl-h2-.*"}))',
    );
    const other = observe(deployment('us-west-2')).map(o => ({
      ...o,
      revision: 'another-merge',
    }));
    expect(state(merged, other)).toBe('merged');
  });

  it('observes nothing before the merge or from a stale cluster', () => {
    expect(
      observeRegionalDeployment(pullOf([]), deployment('us-west-2')),
    ).toEqual([]);
    expect(
      observeRegionalDeployment(
        merged,
        deployment('us-west-2', { stale: true }),
      ),
    ).toEqual([]);
  });

  it('opens the timeline with the request, its pull request, the approval and the merge', () => {
    const { timeline } = computeDeploymentProgress(record, merged, []);
    expect(timeline.slice(0, 4)).toEqual([
      {
        stage: 'requested',
        done: true,
        at: record.createdAt,
        detail: record.requester,
      },
      { stage: 'pr-opened', done: true, at: record.createdAt, detail: '#7' },
      {
        stage: 'approved',
        done: true,
        at: '2026-11-24T09:30:00Z',
        detail: 'lena-fischer',
      },
      { stage: 'merged', done: true, at: '2026-11-24T10:00:00.000Z' },
    ]);
  });
});

describe('a retirement', () => {
  const retirement: DeploymentRequestRecord = {
    ...record,
    kind: 'retire',
    gpuProfile: '',
    minReplicas: 0,
    maxReplicas: 0,
    rollout: 'direct',
  };
  const MERGE = 'c'.repeat(40);
  const mergedPull = { merged: true, mergeSha: MERGE };
  const now = new Date('2026-11-24T10:00:00Z');
  const running = { region: 'us-west-2' } as RegionalModelDeployment;

  it('is retired in a region only once merged, the region fresh and the model gone', () => {
    expect(
      observeRetirement({ merged: false }, 'us-west-2', undefined, true, now),
    ).toEqual([]);
    expect(
      observeRetirement(mergedPull, 'us-west-2', running, true, now),
    ).toEqual([]);
    expect(
      observeRetirement(mergedPull, 'us-west-2', undefined, false, now),
    ).toEqual([]);
    expect(
      observeRetirement(mergedPull, 'us-west-2', undefined, true, now).map(
        o => [o.stage, o.region, o.revision],
      ),
    ).toEqual([
      ['synced', 'us-west-2', MERGE],
      ['retired', 'us-west-2', MERGE],
    ]);
  });

  it('ends retired when every region is, with a synced and a retired step per region', () => {
    const pull: PullRequestProgress = {
      state: 'closed',
      merged: true,
      mergeSha: MERGE,
      headSha: HEAD,
      reviews: [],
      approval: evaluateApproval({
        requesterLogin: 'maya-chen',
        headSha: HEAD,
        reviews: [],
        isCodeOwner: () => true,
      }),
    };
    const west = observeRetirement(pull, 'us-west-2', undefined, true, now);
    const europe = observeRetirement(
      pull,
      'europe-west1',
      undefined,
      true,
      now,
    );
    // One region of two retired: still on its way.
    expect(computeDeploymentProgress(retirement, pull, west).state).toBe(
      'merged',
    );
    const done = computeDeploymentProgress(retirement, pull, [
      ...west,
      ...europe,
    ]);
    expect(done.state).toBe('retired');
    expect(
      done.timeline.filter(s => s.region).map(s => `${s.stage} ${s.region}`),
    ).toEqual([
      'synced us-west-2',
      'retired us-west-2',
      'synced europe-west1',
      'retired europe-west1',
    ]);
    // A deployment's observations never make a retirement healthy.
    expect(
      computeDeploymentProgress(retirement, pull, [
        {
          stage: 'healthy',
          region: 'us-west-2',
          revision: MERGE,
          at: now.toISOString(),
        },
        {
          stage: 'healthy',
          region: 'europe-west1',
          revision: MERGE,
          at: now.toISOString(),
        },
      ]).state,
    ).toBe('merged');
  });
});
