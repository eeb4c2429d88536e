import type { PolicyResult, PolicyRule } from './DeploymentRequest';

/** One rule's outcome, and whether the rule could be checked at all. */
export interface PolicyOutcome extends PolicyResult {
  checked: boolean;
}

/** Collects outcomes rule by rule: each rule records its failures, or passes with a message. */
export class PolicyRuleBook {
  readonly outcomes: PolicyOutcome[] = [];

  /** Records a rule: failed with each message given, passed with `passed` when there is none. */
  rule(rule: PolicyRule, failures: string[], passed: string) {
    if (failures.length === 0)
      this.outcomes.push({
        rule,
        passed: true,
        message: passed,
        checked: true,
      });
    for (const message of failures)
      this.outcomes.push({ rule, passed: false, message, checked: true });
  }

  /** A rule that another rule's failure leaves nothing to check with. */
  notChecked(rule: PolicyRule, why: string) {
    this.outcomes.push({
      rule,
      passed: false,
      message: `not checked: ${why}`,
      checked: false,
    });
  }
}
