import type {
  DeploymentRequestDetail,
  DeploymentRequestSummary,
} from '@internal/plugin-omnivision-common';
import { evaluateDeploymentPolicy } from '@internal/plugin-omnivision-common';
import {
  contextFixture,
  requestFixture,
} from '@internal/plugin-omnivision-common/testUtils';

/** A request awaiting review, as `GET /requests` answers it. */
export function requestSummary(
  overrides: Partial<DeploymentRequestSummary> = {},
): DeploymentRequestSummary {
  return {
    ...requestFixture(),
    pullRequestNumber: 7,
    pullRequestUrl:
      'http://127.0.0.1:7010/omnivision-ai/omnivision-gitops/pull/7',
    branch: 'omnivision/deploy-vidgen-xl-0a1b2c3d',
    requester: 'user:default/maya-chen',
    team: 'group:default/data-science',
    policyResults: evaluateDeploymentPolicy(requestFixture(), contextFixture()),
    filesDigest: `sha256:${'d'.repeat(64)}`,
    createdAt: '2026-11-24T09:00:00.000Z',
    updatedAt: '2026-11-24T09:00:00.000Z',
    requestedReviewers: ['@platform-team'],
    progress: {
      state: 'awaiting-review',
      timeline: [
        { stage: 'requested', done: true, detail: 'user:default/maya-chen' },
        { stage: 'pr-opened', done: true, detail: '#7' },
        { stage: 'approved', done: false },
        { stage: 'merged', done: false },
        { stage: 'synced', region: 'us-west-2', done: false },
      ],
    },
    ...overrides,
  };
}

/** The same request in full, as `GET /requests/7` answers it. */
export function requestDetail(
  overrides: Partial<DeploymentRequestDetail> = {},
): DeploymentRequestDetail {
  return {
    ...requestSummary(),
    title: 'Deploy vidgen-xl on a100-40gb-1 to us-west-2, europe-west1',
    mergeable: true,
    mergeableState: 'blocked',
    reviews: [],
    files: [
      {
        path: 'infrastructure/cluster-aws/models/vidgen-xl.yaml',
        status: 'added',
        patch: '@@ -0,0 +1,2 @@\n+global:\n+  cloudProvider: aws',
      },
    ],
    checks: [],
    ...overrides,
  };
}
