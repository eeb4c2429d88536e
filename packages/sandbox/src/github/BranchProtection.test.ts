import {
  MAIN_PROTECTION,
  StoredReview,
  codeOwnersFor,
  evaluateProtection,
} from './BranchProtection';

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
  const verdict = (reviews: StoredReview[]) =>
    evaluateProtection({
      rule: MAIN_PROTECTION,
      author: 'maya',
      headSha: 'head',
      reviews,
      isCodeOwner: login => login === 'lena',
      codeOwnerTeams: ['omnivision-ai/platform-team'],
    });

  it('is satisfied by a code owner approving the current head', () => {
    expect(verdict([review('lena', 'APPROVED')])).toEqual({ satisfied: true });
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
