import type {
  ApprovalVerdict,
  DeploymentRequestDetail,
  PullRequestReview,
} from '@internal/plugin-omnivision-common';

/** A pull request of the GitOps repository, as the portal reads it. @public */
export interface GitOpsPullRequest {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt?: string;
  /** The merge commit, once merged. */
  mergeSha?: string;
  /** The head commit and branch. */
  headSha: string;
  headRef: string;
  /** When GitHub last changed it (reviews included). */
  updatedAt: string;
  /** Whether the portal opened it (its marker is in the body). */
  openedByPortal: boolean;
  /** The logins and teams (`@slug`) GitHub still asks to review it. */
  requestedReviewers: string[];
  /** GitHub's answer; null while it computes it (lists do not carry it). */
  mergeable: boolean | null;
  /** GitHub's reason, e.g. `blocked` (branch protection) or `clean`. */
  mergeableState?: string;
}

/** A pull request in full: its reviews, files and the head's commit statuses. @public */
export interface GitOpsPullRequestDetail extends GitOpsPullRequest {
  reviews: PullRequestReview[];
  files: DeploymentRequestDetail['files'];
  checks: DeploymentRequestDetail['checks'];
}

/** A pull request the portal opened or updated. @public */
export interface OpenedPullRequest {
  number: number;
  url: string;
  /** False when the same request ran again and updated its open pull request. */
  created: boolean;
}

/** A GitHub user's own token: reviews and merges are made as the person, never as the portal. @public */
export interface GitHubUserToken {
  githubToken: string;
}

/** The approval gate's verdict to post on a head, with a link to the request's page. @public */
export type ApprovalStatus = Pick<
  ApprovalVerdict,
  'state' | 'description' | 'sha'
> & {
  targetUrl?: string;
};
