import { PullRequestReview, evaluateApproval } from './requestApproval';

const HEAD = 'c'.repeat(40);
const OWNERS = new Set(['lena-fischer', 'sam-okafor']);
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
  submittedAt: `2026-12-04T10:00:${String(id).padStart(2, '0')}Z`,
});
const verdict = (requesterLogin: string, reviews: PullRequestReview[]) =>
  evaluateApproval({
    requesterLogin,
    headSha: HEAD,
    reviews,
    isCodeOwner: login => OWNERS.has(login),
  });

describe('evaluateApproval', () => {
  it('succeeds on a code owner other than the requester approving this head', () => {
    expect(
      verdict('maya-chen', [review(1, 'lena-fischer', 'APPROVED')]),
    ).toEqual({
      state: 'success',
      sha: HEAD,
      approvedBy: 'lena-fischer',
      approvedAt: '2026-12-04T10:00:01Z',
      changesRequestedBy: [],
      description: 'Approved by lena-fischer on ccccccc',
    });
  });

  it("stays pending on the requester's own approval, even when they are a code owner", () => {
    const v = verdict('sam-okafor', [review(1, 'sam-okafor', 'APPROVED')]);
    expect(v.state).toBe('pending');
    expect(v.description).toBe(
      "Waiting for a code owner other than sam-okafor to approve ccccccc (the requester's own approval does not count)",
    );
  });

  it('stays pending on approvals of another head, by people who are not code owners, or with changes requested', () => {
    expect(
      verdict('maya-chen', [
        review(1, 'lena-fischer', 'APPROVED', 'd'.repeat(40)),
      ]).state,
    ).toBe('pending');
    expect(
      verdict('maya-chen', [review(1, 'omar-haddad', 'APPROVED')]).state,
    ).toBe('pending');
    const blocked = verdict('maya-chen', [
      review(1, 'lena-fischer', 'APPROVED'),
      review(2, 'sam-okafor', 'CHANGES_REQUESTED'),
    ]);
    expect(blocked).toMatchObject({
      state: 'pending',
      changesRequestedBy: ['sam-okafor'],
      description: 'Changes requested by sam-okafor',
    });
    // A reviewer's later approval replaces their request for changes; a comment does not.
    expect(
      verdict('maya-chen', [
        review(1, 'sam-okafor', 'CHANGES_REQUESTED'),
        review(2, 'sam-okafor', 'COMMENTED'),
        review(3, 'sam-okafor', 'APPROVED'),
      ]).state,
    ).toBe('success');
    // A dismissed approval no longer counts.
    expect(
      verdict('maya-chen', [
        review(1, 'lena-fischer', 'APPROVED'),
        review(2, 'lena-fischer', 'DISMISSED'),
      ]).state,
    ).toBe('pending');
  });
});
