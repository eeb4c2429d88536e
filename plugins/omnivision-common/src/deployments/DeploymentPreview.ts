import type { PolicyViolation } from './DeploymentRequest';
import type { DeploymentCost } from './deploymentCost';

/** One file of a deployment's pull request next to what the base branch holds now. @public */
export interface DeploymentFileChange {
  region: string;
  cluster: string;
  path: string;
  /** New on the base branch, different from it, or already the same. */
  status: 'added' | 'modified' | 'unchanged';
  /** A unified diff against the base branch (empty when unchanged). */
  diff: string;
}

/**
 * What the deploy form's review shows before anything is written: every policy violation, and
 * for a request without any the files as a diff against the base branch and the cost.
 *
 * @public
 */
export interface DeploymentPreview {
  violations: PolicyViolation[];
  /** The base branch the diff is taken against, e.g. `main`. */
  baseBranch: string;
  branch?: string;
  gpus?: number;
  cost?: DeploymentCost;
  files: DeploymentFileChange[];
}
