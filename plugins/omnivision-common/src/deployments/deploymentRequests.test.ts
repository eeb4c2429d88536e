import type { RegionalModelDeployment } from '../fleet/FleetStatus';
import { requestFixture } from '../testing/deploymentFixtures';
import {
  DeploymentRequestRecord,
  PullRequestProgress,
  computeDeploymentProgress,
} from './deploymentRequests';

const record: DeploymentRequestRecord = {
  ...requestFixture({ minReplicas: 1, maxReplicas: 2 }),
  pullRequestNumber: 7,
  pullRequestUrl: 'https://github.com/o/r/pull/7',
  branch: 'omnivision/deploy-vidgen-xl-0a1b2c3d',
  requester: 'user:default/maya-chen',
  policyResults: [],
  filesDigest: 'sha256:x',
  createdAt: '2026-11-24T09:00:00.000Z',
  updatedAt: '2026-11-24T09:00:00.000Z',
};

const open = (
  reviews: PullRequestProgress['reviews'] = [],
): PullRequestProgress => ({ state: 'open', merged: false, reviews });
const merged: PullRequestProgress = {
  state: 'closed',
  merged: true,
  mergedAt: '2026-11-24T10:00:00.000Z',
  mergeSha: 'm3rge',
  reviews: [
    {
      user: 'lena-fischer',
      state: 'APPROVED',
      submittedAt: '2026-11-24T09:30:00Z',
    },
  ],
};

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

const state = (...args: Parameters<typeof computeDeploymentProgress>) =>
  computeDeploymentProgress(...args).state;

describe('computeDeploymentProgress', () => {
  it('follows the pull request: awaiting review, changes requested, approved, closed', () => {
    expect(state(record, open(), [])).toBe('awaiting-review');
    expect(
      state(
        record,
        open([
          { user: 'raj-patel', state: 'CHANGES_REQUESTED', submittedAt: '1' },
        ]),
        [],
      ),
    ).toBe('changes-requested');
    // A later review of the same person replaces their earlier one; comments do not count.
    expect(
      state(
        record,
        open([
          { user: 'raj-patel', state: 'CHANGES_REQUESTED', submittedAt: '1' },
          { user: 'raj-patel', state: 'APPROVED', submittedAt: '2' },
          { user: 'lena-fischer', state: 'COMMENTED', submittedAt: '3' },
        ]),
        [],
      ),
    ).toBe('approved');
    expect(state(record, { ...open(), state: 'closed' }, [])).toBe('closed');
  });

  it('is synced only when every region reconciled after the merge, healthy when every canary finished', () => {
    // An Application from before the merge does not count as synced.
    const old = deployment('us-west-2', {
      revision: 'older',
      reconciledAt: '2026-11-24T09:59:00.000Z',
    });
    expect(state(record, merged, [old, deployment('europe-west1')])).toBe(
      'merged',
    );
    expect(
      state(record, merged, [
        deployment('us-west-2', { revision: 'later' }),
        deployment('europe-west1'),
      ]),
    ).toBe('synced');
    const progress = computeDeploymentProgress(record, merged, [
      deployment('us-west-2', {
        rolloutPhase: 'Healthy',
        healthStatus: 'Healthy',
        canaryStep: 4,
        canaryWeight: 100,
        readyReplicas: 1,
      }),
      deployment('europe-west1'),
    ]);
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
      state(record, merged, [
        deployment('us-west-2', healthy),
        deployment('europe-west1', healthy),
      ]),
    ).toBe('healthy');
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
