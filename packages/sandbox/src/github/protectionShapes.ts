import type { ProtectionRule } from './BranchProtection';

/**
 * A branch's protection rule in GitHub's shapes: `branch-protection` (`GET .../protection`),
 * `status-check-policy` (`GET .../protection/required_status_checks`) and the summary a branch
 * carries (`GET /branches/{branch}`'s `protection`). Admins are held to the rule as anyone.
 */
export function createProtectionShapes(repoApi: () => string) {
  const protectionUrl = (branch: string) =>
    `${repoApi()}/branches/${branch}/protection`;

  /** status-check-policy. */
  const statusCheckPolicy = (branch: string, rule: ProtectionRule) => {
    const url = `${protectionUrl(branch)}/required_status_checks`;
    return {
      url,
      strict: false,
      contexts: rule.requiredStatusChecks.map(c => c.context),
      contexts_url: `${url}/contexts`,
      checks: rule.requiredStatusChecks.map(c => ({
        context: c.context,
        app_id: c.appId,
      })),
    };
  };

  /** protected-branch-pull-request-review. */
  const pullRequestReviews = (branch: string, rule: ProtectionRule) => ({
    url: `${protectionUrl(branch)}/required_pull_request_reviews`,
    dismiss_stale_reviews: rule.dismissStaleReviews,
    require_code_owner_reviews: rule.requireCodeOwnerReviews,
    required_approving_review_count: rule.requiredApprovingReviews,
    require_last_push_approval: false,
  });

  /** branch-protection. */
  const branchProtection = (branch: string, rule: ProtectionRule) => {
    const url = protectionUrl(branch);
    const off = { enabled: false };
    return {
      url,
      required_status_checks: statusCheckPolicy(branch, rule),
      required_pull_request_reviews: pullRequestReviews(branch, rule),
      required_signatures: {
        url: `${url}/required_signatures`,
        enabled: false,
      },
      enforce_admins: { url: `${url}/enforce_admins`, enabled: true },
      required_linear_history: off,
      allow_force_pushes: off,
      allow_deletions: off,
      block_creations: off,
      required_conversation_resolution: off,
      lock_branch: off,
      allow_fork_syncing: off,
    };
  };

  /** The `protection` of a branch as `GET /branches/{branch}` shows it. */
  const branchSummary = (branch: string, rule: ProtectionRule | undefined) =>
    rule
      ? {
          enabled: true,
          required_status_checks: {
            enforcement_level: 'everyone',
            contexts: rule.requiredStatusChecks.map(c => c.context),
            checks: statusCheckPolicy(branch, rule).checks,
          },
          required_pull_request_reviews: pullRequestReviews(branch, rule),
        }
      : { enabled: false };

  return {
    protectionUrl,
    statusCheckPolicy,
    branchProtection,
    branchSummary,
  };
}
