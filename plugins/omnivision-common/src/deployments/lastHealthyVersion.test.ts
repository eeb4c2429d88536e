import { requestFixture } from '../testing/deploymentFixtures';
import type { DeploymentRequestRecord } from './deploymentRequests';
import { ObservedRequest, lastHealthyVersion } from './lastHealthyVersion';
import type { DeploymentObservation } from './requestProgress';

const MODEL = 'resource:default/vidgen-xl';

function request(
  n: number,
  version: string | undefined,
  changes: Partial<DeploymentRequestRecord> = {},
): DeploymentRequestRecord {
  return {
    ...requestFixture({ model: MODEL, version }),
    kind: 'deploy',
    pullRequestNumber: n,
    pullRequestUrl: `https://github.com/o/r/pull/${n}`,
    branch: `omnivision/deploy-vidgen-xl-0000000${n}`,
    requester: 'user:default/maya-chen',
    team: 'group:default/data-science',
    policyResults: [],
    filesDigest: 'sha256:x',
    createdAt: `2026-12-0${n}T09:00:00.000Z`,
    updatedAt: `2026-12-0${n}T09:00:00.000Z`,
    ...changes,
  };
}

const sha = (n: number) => String(n).repeat(40);

function observed(
  record: DeploymentRequestRecord,
  seen: Array<[DeploymentObservation['stage'], string, string]>,
  options: { merged?: boolean; revision?: string } = {},
): ObservedRequest {
  const mergeSha = sha(record.pullRequestNumber);
  return {
    record,
    pull: { merged: options.merged ?? true, mergeSha },
    observations: seen.map(([stage, region, at]) => ({
      stage,
      region,
      revision: options.revision ?? mergeSha,
      at,
    })),
  };
}

describe('lastHealthyVersion', () => {
  const v1 = request(1, '1.0.0');
  const v2 = request(2, '2.0.0');

  it('is the version whose merge was last observed healthy in the region', () => {
    const requests = [
      observed(v2, [
        ['synced', 'us-west-2', '2026-12-02T10:00:00Z'],
        ['failed', 'us-west-2', '2026-12-02T10:05:00Z'],
        ['healthy', 'europe-west1', '2026-12-02T10:06:00Z'],
      ]),
      observed(v1, [
        ['healthy', 'us-west-2', '2026-12-01T10:00:00Z'],
        ['healthy', 'europe-west1', '2026-12-01T10:00:00Z'],
      ]),
    ];
    expect(lastHealthyVersion(MODEL, 'us-west-2', requests)).toEqual({
      record: v1,
      version: '1.0.0',
      healthyAt: '2026-12-01T10:00:00Z',
    });
    expect(lastHealthyVersion(MODEL, 'europe-west1', requests)).toEqual({
      record: v2,
      version: '2.0.0',
      healthyAt: '2026-12-02T10:06:00Z',
    });
  });

  it('takes the later healthy observation, not the newer request, and the newer request on a tie', () => {
    const rollback = request(3, '1.0.0', { kind: 'rollback' });
    const requests = [
      observed(v1, [['healthy', 'us-west-2', '2026-12-05T10:00:00Z']]),
      observed(v2, [['healthy', 'us-west-2', '2026-12-04T10:00:00Z']]),
    ];
    expect(lastHealthyVersion(MODEL, 'us-west-2', requests)?.version).toBe(
      '1.0.0',
    );
    const tie = [
      observed(v2, [['healthy', 'us-west-2', '2026-12-05T10:00:00Z']]),
      observed(rollback, [['healthy', 'us-west-2', '2026-12-05T10:00:00Z']]),
    ];
    expect(lastHealthyVersion(MODEL, 'us-west-2', tie)?.record).toBe(rollback);
  });

  it('is undefined when no request of the model was healthy in the region', () => {
    expect(lastHealthyVersion(MODEL, 'us-west-2', [])).toBeUndefined();
    const never = [
      // Healthy elsewhere only.
      observed(v1, [['healthy', 'europe-west1', '2026-12-01T10:00:00Z']]),
      // Only failed and synced here.
      observed(v2, [
        ['synced', 'us-west-2', '2026-12-02T10:00:00Z'],
        ['failed', 'us-west-2', '2026-12-02T10:01:00Z'],
      ]),
      // Another model.
      observed(request(4, '9.0.0', { model: 'resource:default/colorizer' }), [
        ['healthy', 'us-west-2', '2026-12-04T10:00:00Z'],
      ]),
    ];
    expect(lastHealthyVersion(MODEL, 'us-west-2', never)).toBeUndefined();
  });

  it('counts neither unmerged requests, observations of another revision, nor retirements', () => {
    const requests = [
      observed(v1, [['healthy', 'us-west-2', '2026-12-01T10:00:00Z']], {
        merged: false,
      }),
      observed(v2, [['healthy', 'us-west-2', '2026-12-02T10:00:00Z']], {
        revision: sha(9),
      }),
      observed(request(5, undefined, { kind: 'retire' }), [
        ['healthy', 'us-west-2', '2026-12-05T10:00:00Z'],
      ]),
    ];
    expect(lastHealthyVersion(MODEL, 'us-west-2', requests)).toBeUndefined();
  });

  it('has no version for a model that lists none', () => {
    const unversioned = request(6, undefined);
    expect(
      lastHealthyVersion(MODEL, 'us-west-2', [
        observed(unversioned, [
          ['healthy', 'us-west-2', '2026-12-06T10:00:00Z'],
        ]),
      ]),
    ).toEqual({
      record: unversioned,
      version: undefined,
      healthyAt: '2026-12-06T10:00:00Z',
    });
  });
});
