import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  githubLoginOf,
  isLoginOf,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import type { GitOpsPullRequests } from '@internal/plugin-omnivision-node';
import type { AuditTrail } from '../audit/AuditTrail';
import { markAudited } from '../audit/markAudited';
import type { DeploymentRequestStore } from './DeploymentRequestStore';
import {
  RequestLifecycle,
  mergeEventKey,
  reviewEventKey,
} from './RequestLifecycle';

/** Who reviews or merges: their ref, their own GitHub token, and whether the policy permits it. */
export interface Caller {
  userEntityRef: string;
  githubToken: string;
  permitted: boolean;
}

type Attempt = {
  actor: string;
  action:
    | 'review.approved'
    | 'review.changes-requested'
    | 'pull-request.merged';
  pullRequestNumber: number;
  model?: string;
  githubLogin?: string;
};

/**
 * Lets a person review and merge a request as themselves on GitHub: their GitHub token must be
 * theirs (`GET /user` against the login their Backstage user maps to), nobody reviews their own
 * request, and a merge is pinned to the head the gate approved, so that GitHub's branch
 * protection (which requires the `omnivision/approval` status) stays the gate. Every attempt goes
 * into the audit trail with the Backstage user and the GitHub login, refusals with their reason.
 */
export class DeploymentRequestReviewer {
  readonly #store: DeploymentRequestStore;
  readonly #audit: AuditTrail;
  readonly #gitOps: GitOpsPullRequests;
  readonly #lifecycle: RequestLifecycle;

  static create(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    gitOps: GitOpsPullRequests;
    lifecycle: RequestLifecycle;
  }): DeploymentRequestReviewer {
    return new DeploymentRequestReviewer(options);
  }

  private constructor(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    gitOps: GitOpsPullRequests;
    lifecycle: RequestLifecycle;
  }) {
    this.#store = options.store;
    this.#audit = options.audit;
    this.#gitOps = options.gitOps;
    this.#lifecycle = options.lifecycle;
  }

  /**
   * The attempt on a known request, by a caller whose GitHub token is their own: a token of
   * someone else (a colleague's, a bot's) is refused with both identities in the trail.
   */
  async #attempt(
    pullRequestNumber: number,
    caller: Caller,
    action: Attempt['action'],
  ) {
    const stored = await this.#store.get(pullRequestNumber);
    const attempt: Attempt = {
      actor: caller.userEntityRef,
      action,
      pullRequestNumber,
      model: stored ? modelNameOf(stored.record.model) : undefined,
    };
    if (!stored) {
      await this.#refuse(
        new NotFoundError(`no deployment request #${pullRequestNumber}`),
        attempt,
      );
    }
    let login = '';
    try {
      login = await this.#gitOps.loginOf(caller);
    } catch (error) {
      await this.#refuse(error as Error, attempt);
    }
    attempt.githubLogin = login;
    if (!isLoginOf(caller.userEntityRef, login)) {
      await this.#refuse(
        new NotAllowedError(
          `the GitHub token is ${login}'s, not ${githubLoginOf(
            caller.userEntityRef,
          )}'s: review and merge with your own GitHub sign-in`,
        ),
        attempt,
      );
    }
    return { stored: stored!, attempt, login };
  }

  /** Writes a refused attempt into the audit trail and throws its error, marked as audited. */
  async #refuse(error: Error, attempt: Attempt): Promise<never> {
    await this.#audit.append({
      ...attempt,
      outcome: 'refused',
      reason: error.message,
    });
    throw markAudited(error);
  }

  /**
   * Approves a request or asks for changes, as the caller on GitHub (their own token). Nobody
   * reviews their own request; only those the policy permits review others'.
   */
  async review(
    pullRequestNumber: number,
    review: { event: 'APPROVE' | 'REQUEST_CHANGES'; body?: string },
    caller: Caller,
  ): Promise<void> {
    const { stored, attempt, login } = await this.#attempt(
      pullRequestNumber,
      caller,
      review.event === 'APPROVE'
        ? 'review.approved'
        : 'review.changes-requested',
    );
    if (stored.record.requester === caller.userEntityRef) {
      await this.#refuse(
        new NotAllowedError('you cannot review your own deployment request'),
        attempt,
      );
    }
    if (!caller.permitted) {
      await this.#refuse(
        new NotAllowedError(
          'only platform-team may review deployment requests',
        ),
        attempt,
      );
    }
    if (review.event === 'REQUEST_CHANGES' && !review.body?.trim()) {
      await this.#refuse(
        new InputError('requesting changes needs a comment that says which'),
        attempt,
      );
    }
    const made = await this.#gitOps
      .review(pullRequestNumber, review, caller)
      .catch(error => this.#refuse(error, attempt));
    // The same review's event from GitHub finds this entry by its key and adds none.
    await this.#audit.append({
      ...attempt,
      outcome: 'succeeded',
      reason: `on ${made.commitId}${review.body ? `: ${review.body}` : ''}`,
      key: reviewEventKey(pullRequestNumber, made),
    });
    await this.#lifecycle.reviewChanged(pullRequestNumber, made, {
      login,
      userEntityRef: caller.userEntityRef,
    });
  }

  /**
   * Merges a request as the caller on GitHub, pinned to the head the approval gate passed: a
   * head that moved since, or one the gate has not passed, is refused with 409 (GitHub's branch
   * protection refuses it too).
   */
  async merge(
    pullRequestNumber: number,
    caller: Caller,
  ): Promise<{ sha: string }> {
    const { stored, attempt, login } = await this.#attempt(
      pullRequestNumber,
      caller,
      'pull-request.merged',
    );
    if (!caller.permitted) {
      await this.#refuse(
        new NotAllowedError('only platform-team may merge deployment requests'),
        attempt,
      );
    }
    const { pull, approval } = stored;
    if (!pull || pull.state !== 'open') {
      await this.#refuse(
        new ConflictError(`request #${pullRequestNumber} is not open`),
        attempt,
      );
    }
    if (approval?.state === 'success' && approval.sha !== pull!.headSha) {
      await this.#refuse(
        new ConflictError(
          `the head of #${pullRequestNumber} moved to ${pull!.headSha.slice(
            0,
            7,
          )} after ${approval.approvedBy} approved ${approval.sha.slice(
            0,
            7,
          )}: it needs a new approval`,
        ),
        attempt,
      );
    }
    const approvedHead =
      approval?.state === 'success' ? approval.sha : pull!.headSha;
    const { sha } = await this.#gitOps
      .merge(pullRequestNumber, caller, approvedHead)
      .catch(error => this.#refuse(error, attempt));
    await this.#audit.append({
      ...attempt,
      outcome: 'succeeded',
      reason: `${sha} (head ${approvedHead})`,
      key: mergeEventKey(pullRequestNumber, sha),
    });
    await this.#lifecycle.merged(pullRequestNumber, sha, {
      login,
      userEntityRef: caller.userEntityRef,
    });
    return { sha };
  }
}
