import { APPROVAL_STATUS_CONTEXT } from '@internal/plugin-omnivision-common';
import {
  MAIN_PROTECTION,
  StoredReview,
  codeOwnersFor,
  evaluateProtection,
  protectionOf,
} from './BranchProtection';
import type { CommitStatusState, StoredStatus } from './CommitStatusStore';
import { PORTAL_APP, appIdOf } from './GitHubApp';

describe('codeOwnersFor', () => {
  const codeowners = [
    '# comment',
    '*                 @omnivision-ai/platform-team',
    '/apps/            @omnivision-ai/ui-team',
    'docs/**/*.md      @writer',
    '*.tf              @omnivision-ai/security',
  ].join('\n');

  it.each([
    [
      'infrastructure/cluster-aws/models/a.yaml',
      ['@omnivision-ai/platform-team'],
    ],
    ['apps/omnivision-ui/values.yaml', ['@omnivision-ai/ui-team']],
    ['sub/apps/x.yaml', ['@omnivision-ai/platform-team']],
    ['docs/guides/deploy.md', ['@writer']],
    ['terraform/main.tf', ['@omnivision-ai/security']],
  ])('gives %s to %j (the last matching rule wins)', (path, owners) => {
    expect(codeOwnersFor(codeowners, path)).toEqual(owners);
  });
});

describe('evaluateProtection', () => {
  const review = (
    user: string,
    state: StoredReview['state'],
    commit = 'head',
  ): StoredReview => ({
    id: 1,
    user,
    state,
    body: '',
    commit_id: commit,
    submitted_at: '2026-11-22T10:00:00Z',
  });
  let nextStatusId = 1;
  const status = (
    creator: string,
    state: CommitStatusState,
    context = APPROVAL_STATUS_CONTEXT,
  ): StoredStatus => ({
    id: nextStatusId++,
    sha: 'head',
    state,
    context,
    description: null,
    target_url: null,
    creator,
    created_at: '2026-11-22T10:00:00Z',
    updated_at: '2026-11-22T10:00:00Z',
  });
  const approvedByPortal = [status(PORTAL_APP.login, 'success')];
  const verdict = (
    reviews: StoredReview[],
    statuses: StoredStatus[] = approvedByPortal,
  ) =>
    evaluateProtection({
      rule: MAIN_PROTECTION,
      author: 'maya',
      headSha: 'head',
      reviews,
      isCodeOwner: login => login === 'lena',
      codeOwnerTeams: ['omnivision-ai/platform-team'],
      statuses,
      appIdOf,
    });

  it('is satisfied by a code owner approving the current head', () => {
    expect(verdict([review('lena', 'APPROVED')])).toEqual({ satisfied: true });
  });

  it("protects main only, requiring the portal app's approval status", () => {
    expect(protectionOf('main')).toBe(MAIN_PROTECTION);
    expect(protectionOf('deploy/model-a')).toBeUndefined();
    expect(MAIN_PROTECTION.requiredStatusChecks).toEqual([
      { context: 'omnivision/approval', appId: PORTAL_APP.appId },
    ]);
  });

  it('needs the required status from the portal, successful, as its latest', () => {
    const approved = [review('lena', 'APPROVED')];
    expect(verdict(approved, [])).toEqual({
      satisfied: false,
      reason: 'Required status check "omnivision/approval" is expected.',
    });
    expect(verdict(approved, [status(PORTAL_APP.login, 'pending')])).toEqual({
      satisfied: false,
      reason: 'Required status check "omnivision/approval" is pending.',
    });
    for (const state of ['failure', 'error'] as const)
      expect(verdict(approved, [status(PORTAL_APP.login, state)]).reason).toBe(
        'Required status check "omnivision/approval" is failing.',
      );
    expect(
      verdict(approved, [
        status(PORTAL_APP.login, 'success'),
        status(PORTAL_APP.login, 'failure'),
      ]).satisfied,
    ).toBe(false);
    expect(
      verdict(approved, [
        status(PORTAL_APP.login, 'pending'),
        status(PORTAL_APP.login, 'success'),
      ]).satisfied,
    ).toBe(true);
  });

  it('ignores the required context posted by anyone but the portal, and other contexts', () => {
    const approved = [review('lena', 'APPROVED')];
    expect(verdict(approved, [status('maya', 'success')]).reason).toBe(
      'Required status check "omnivision/approval" is expected.',
    );
    expect(
      verdict(approved, [
        status(PORTAL_APP.login, 'success'),
        status('maya', 'failure'),
        status(PORTAL_APP.login, 'failure', 'ci/lint'),
      ]).satisfied,
    ).toBe(true);
  });

  it('names the missing review before the missing status', () => {
    expect(verdict([], []).reason).toBe(
      'At least 1 approving review is required by reviewers with write access.',
    );
  });

  it('is not satisfied without approvals, by a stale approval, or by a non-owner', () => {
    expect(verdict([]).satisfied).toBe(false);
    expect(verdict([review('lena', 'APPROVED', 'older')]).satisfied).toBe(
      false,
    );
    expect(verdict([review('omar', 'APPROVED')]).reason).toMatch(
      /code owner review/,
    );
  });

  it('never counts the author, and blocks on the latest request for changes', () => {
    expect(verdict([review('maya', 'APPROVED')]).satisfied).toBe(false);
    expect(
      verdict([review('lena', 'APPROVED'), review('raj', 'CHANGES_REQUESTED')])
        .satisfied,
    ).toBe(false);
    expect(
      verdict([review('lena', 'CHANGES_REQUESTED'), review('lena', 'APPROVED')])
        .satisfied,
    ).toBe(true);
  });
});
