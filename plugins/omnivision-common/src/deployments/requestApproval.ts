/**
 * The approval gate of a deployment request, as one rule: the portal posts its verdict as the
 * commit status {@link APPROVAL_STATUS_CONTEXT} on the request's head, GitHub's branch protection
 * requires it, and the portal's timeline shows the same verdict.
 */

/** The commit status the portal posts on each request's head; `main` requires it. @public */
export const APPROVAL_STATUS_CONTEXT = 'omnivision/approval';

/** A review of a pull request, as GitHub reports it. @public */
export interface PullRequestReview {
  /** GitHub's id of the review. */
  id: number;
  /** The reviewer's GitHub login. */
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  submittedAt: string;
  /** The head commit the review was given on. */
  commitId: string;
  body?: string;
}

/** The gate's verdict on a request's head. @public */
export interface ApprovalVerdict {
  /** The commit status: `success` lets branch protection merge, `pending` does not. */
  state: 'success' | 'pending';
  /** What the status says: who approved, or what is missing (GitHub keeps 140 characters). */
  description: string;
  /** The head commit the verdict is about. */
  sha: string;
  approvedBy?: string;
  approvedAt?: string;
  /** Reviewers whose latest review asks for changes. */
  changesRequestedBy: string[];
}

/** At most 140 characters, as GitHub keeps of a status's description. */
function describe(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

/**
 * The approval gate: `success` only when a code owner other than the requester approved this very
 * head and nobody's latest review asks for changes; `pending` otherwise, saying what is missing.
 * Each reviewer's latest non-comment review counts; an approval of an earlier head does not, nor
 * does the requester's own (small teams have people who are both data scientist and code owner).
 *
 * @public
 */
export function evaluateApproval(input: {
  /** The requester's GitHub login. */
  requesterLogin: string;
  headSha: string;
  reviews: PullRequestReview[];
  /** Whether a login is a code owner of the request's files. */
  isCodeOwner: (login: string) => boolean;
}): ApprovalVerdict {
  const { requesterLogin, headSha, isCodeOwner } = input;
  const latest = new Map<string, PullRequestReview>();
  const ordered = [...input.reviews].sort(
    (a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.id - b.id,
  );
  for (const review of ordered) {
    if (review.state !== 'COMMENTED') latest.set(review.user, review);
  }
  const changesRequestedBy = [...latest.values()]
    .filter(r => r.state === 'CHANGES_REQUESTED')
    .map(r => r.user);
  const short = headSha.slice(0, 7);
  if (changesRequestedBy.length > 0) {
    return {
      state: 'pending',
      sha: headSha,
      changesRequestedBy,
      description: describe(
        `Changes requested by ${changesRequestedBy.join(', ')}`,
      ),
    };
  }
  const approval = [...latest.values()].find(
    r =>
      r.state === 'APPROVED' &&
      r.commitId === headSha &&
      r.user !== requesterLogin &&
      isCodeOwner(r.user),
  );
  if (approval) {
    return {
      state: 'success',
      sha: headSha,
      changesRequestedBy,
      approvedBy: approval.user,
      approvedAt: approval.submittedAt,
      description: describe(`Approved by ${approval.user} on ${short}`),
    };
  }
  const approvals = [...latest.values()].filter(r => r.state === 'APPROVED');
  let missing = `Waiting for a code owner other than ${requesterLogin} to approve ${short}`;
  if (approvals.some(r => r.user === requesterLogin)) {
    missing += ` (the requester's own approval does not count)`;
  } else if (approvals.some(r => r.commitId !== headSha)) {
    missing += ` (approvals of earlier commits do not count)`;
  }
  return {
    state: 'pending',
    sha: headSha,
    changesRequestedBy,
    description: describe(missing),
  };
}
