import { APPROVAL_STATUS_CONTEXT } from '@internal/plugin-omnivision-common';
import { PORTAL_APP } from './GitHubApp';
import type { StoredStatus } from './CommitStatusStore';

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

/**
 * A required status check: the context, and the GitHub App whose statuses alone satisfy it
 * (`null`: anyone's), as branch protection's `checks: [{ context, app_id }]`.
 */
export interface RequiredStatusCheck {
  context: string;
  appId: number | null;
}

/** A branch protection rule: required reviews and required status checks. */
export interface ProtectionRule {
  requiredApprovingReviews: number;
  requireCodeOwnerReviews: boolean;
  dismissStaleReviews: boolean;
  requiredStatusChecks: RequiredStatusCheck[];
}

/**
 * The protection rule on main: one approving review from a code owner, never the author's own,
 * on the current head; and the portal's approval gate status (`omnivision/approval`, the
 * portal's own constant), posted by the portal's app.
 */
export const MAIN_PROTECTION: ProtectionRule = {
  requiredApprovingReviews: 1,
  requireCodeOwnerReviews: true,
  dismissStaleReviews: true,
  requiredStatusChecks: [
    { context: APPROVAL_STATUS_CONTEXT, appId: PORTAL_APP.appId },
  ],
};

/** The protected branches and their rules. */
export function protectionOf(branch: string): ProtectionRule | undefined {
  return branch === 'main' ? MAIN_PROTECTION : undefined;
}

export interface ProtectionVerdict {
  satisfied: boolean;
  /** GitHub's words for why a merge is blocked, when it is. */
  reason?: string;
}

/**
 * Whether a pull request satisfies the protection rule. Reviews first: each reviewer's latest
 * non-comment review counts; an approval counts only from a code owner who is not the author,
 * and (with stale dismissal) only for the current head commit; any outstanding request for
 * changes blocks. Then each required status check: the latest status of its context on the head
 * from its app (statuses anyone else posts do not count) must be `success`.
 */
export function evaluateProtection(
  input: ReviewFacts & {
    /** The statuses of the head commit. */
    statuses: StoredStatus[];
    /** The GitHub App a user acts for, if any. */
    appIdOf: (login: string) => number | undefined;
  },
): ProtectionVerdict {
  const reviewVerdict = evaluateReviews(input);
  if (!reviewVerdict.satisfied) return reviewVerdict;
  for (const check of input.rule.requiredStatusChecks) {
    const reason = unmetStatusCheck(check, input.statuses, input.appIdOf);
    if (reason) return { satisfied: false, reason };
  }
  return { satisfied: true };
}

/**
 * GitHub's reason a required status check blocks a merge, or undefined when the latest status of
 * its context from its app is `success`.
 */
export function unmetStatusCheck(
  check: RequiredStatusCheck,
  statuses: StoredStatus[],
  appIdOf: (login: string) => number | undefined,
): string | undefined {
  const fromSource = statuses.filter(
    s =>
      s.context === check.context &&
      (check.appId === null || appIdOf(s.creator) === check.appId),
  );
  const latest = fromSource.reduce<StoredStatus | undefined>(
    (newest, s) => (!newest || s.id > newest.id ? s : newest),
    undefined,
  );
  const named = `Required status check "${check.context}"`;
  if (!latest) return `${named} is expected.`;
  if (latest.state === 'pending') return `${named} is pending.`;
  if (latest.state !== 'success') return `${named} is failing.`;
  return undefined;
}

/** What the review rules look at: the pull request's author, head and reviews. */
interface ReviewFacts {
  rule: ProtectionRule;
  author: string;
  headSha: string;
  reviews: StoredReview[];
  isCodeOwner: (login: string) => boolean;
  codeOwnerTeams: string[];
}

function evaluateReviews(input: ReviewFacts): ProtectionVerdict {
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
