import type {
  DeploymentRequestDetail,
  PullRequestProgress,
} from '@internal/plugin-omnivision-common';

/** A review of a pull request: its reviewer's login, verdict, time and comment. @public */
export type PullRequestReview = PullRequestProgress['reviews'][number];

/** A pull request of the GitOps repository, as the portal reads it. @public */
export interface GitOpsPullRequest {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt?: string;
  /** The merge commit, once merged. */
  mergeSha?: string;
  /** The logins and teams (`@slug`) GitHub still asks to review it. */
  requestedReviewers: string[];
}

/** A pull request in full: its reviews, files, commit statuses and mergeability. @public */
export interface GitOpsPullRequestDetail extends GitOpsPullRequest {
  /** GitHub's answer; null while it computes it. */
  mergeable: boolean | null;
  /** GitHub's reason, e.g. `blocked` (branch protection) or `clean`. */
  mergeableState: string;
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
