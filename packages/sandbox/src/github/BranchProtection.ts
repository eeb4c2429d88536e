/** A review as the sandbox stores it. */
export interface StoredReview {
  id: number;
  user: string;
  state:
    | 'APPROVED'
    | 'CHANGES_REQUESTED'
    | 'COMMENTED'
    | 'DISMISSED'
    | 'PENDING';
  body: string;
  commit_id: string;
  submitted_at: string;
}

/** The protection rule on main: one approving review from a code owner, never the author's own. */
export interface ProtectionRule {
  requiredApprovingReviews: number;
  requireCodeOwnerReviews: boolean;
  dismissStaleReviews: boolean;
}

export const MAIN_PROTECTION: ProtectionRule = {
  requiredApprovingReviews: 1,
  requireCodeOwnerReviews: true,
  dismissStaleReviews: true,
};

export interface ProtectionVerdict {
  satisfied: boolean;
  /** GitHub's words for why a merge is blocked, when it is. */
  reason?: string;
}

/**
 * Whether a pull request's reviews satisfy the protection rule: each reviewer's latest
 * non-comment review counts; an approval counts only from a code owner who is not the author,
 * and (with stale dismissal) only for the current head commit; any outstanding request for
 * changes blocks.
 */
export function evaluateProtection(input: {
  rule: ProtectionRule;
  author: string;
  headSha: string;
  reviews: StoredReview[];
  isCodeOwner: (login: string) => boolean;
  codeOwnerTeams: string[];
}): ProtectionVerdict {
  const { rule, author, headSha, reviews, isCodeOwner } = input;
  const latest = new Map<string, StoredReview>();
  for (const review of reviews) {
    if (review.state === 'COMMENTED' || review.state === 'PENDING') continue;
    latest.set(review.user, review);
  }
  const current = [...latest.values()].filter(
    r =>
      r.state !== 'DISMISSED' &&
      (!rule.dismissStaleReviews ||
        r.state !== 'APPROVED' ||
        r.commit_id === headSha),
  );
  if (current.some(r => r.state === 'CHANGES_REQUESTED')) {
    return {
      satisfied: false,
      reason:
        'Changes must be made through a pull request. Changes requested by a reviewer.',
    };
  }
  const approvals = current.filter(
    r => r.state === 'APPROVED' && r.user !== author,
  );
  if (approvals.length < rule.requiredApprovingReviews) {
    return {
      satisfied: false,
      reason: `At least ${rule.requiredApprovingReviews} approving review is required by reviewers with write access.`,
    };
  }
  if (
    rule.requireCodeOwnerReviews &&
    !approvals.some(r => isCodeOwner(r.user))
  ) {
    return {
      satisfied: false,
      reason: `Waiting on code owner review from ${input.codeOwnerTeams.join(
        ', ',
      )}.`,
    };
  }
  return { satisfied: true };
}

/** The owners CODEOWNERS names for a path (last matching rule wins, as on GitHub). */
export function codeOwnersFor(codeowners: string, path: string): string[] {
  let owners: string[] = [];
  for (const raw of codeowners.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [pattern, ...rest] = line.split(/\s+/);
    if (patternMatches(pattern, path)) owners = rest;
  }
  return owners;
}

function patternMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  const anchored = pattern.startsWith('/');
  const body = pattern.replace(/^\//, '');
  const regex = body
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '%%GLOBSTAR%%')
    .replace(/\*/g, '[^/]*')
    .replace(/%%GLOBSTAR%%/g, '.*');
  const directory = body.endsWith('/');
  const source = `${anchored ? '^' : '(^|/)'}${regex}${
    directory ? '' : '($|/)'
  }`;
  return new RegExp(source).test(path);
}
