import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { modelNameOf } from '@internal/plugin-omnivision-common';
import type { GitOpsPullRequests } from '@internal/plugin-omnivision-node';
import type { AuditTrail } from '../audit/AuditTrail';
import type { DeploymentRequestStore } from './DeploymentRequestStore';

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
};

/**
 * Lets a person review and merge a request with their own GitHub token, so that GitHub's branch
 * protection stays the gate. Every attempt goes into the audit trail, refusals with their reason.
 */
export class DeploymentRequestReviewer {
  readonly #store: DeploymentRequestStore;
  readonly #audit: AuditTrail;
  readonly #gitOps: GitOpsPullRequests;

  static create(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    gitOps: GitOpsPullRequests;
  }): DeploymentRequestReviewer {
    return new DeploymentRequestReviewer(options);
  }

  private constructor(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    gitOps: GitOpsPullRequests;
  }) {
    this.#store = options.store;
    this.#audit = options.audit;
    this.#gitOps = options.gitOps;
  }

  async #attempt(
    pullRequestNumber: number,
    actor: string,
    action: Attempt['action'],
  ): Promise<Attempt & { requester: string }> {
    const record = await this.#store.get(pullRequestNumber);
    if (!record) {
      throw new NotFoundError(`no deployment request #${pullRequestNumber}`);
    }
    return {
      actor,
      action,
      pullRequestNumber,
      model: modelNameOf(record.model),
      requester: record.requester,
    };
  }

  /** Writes a refused attempt into the audit trail and throws its error. */
  async #refuse(error: Error, attempt: Attempt): Promise<never> {
    await this.#audit.append({
      ...attempt,
      outcome: 'refused',
      reason: error.message,
    });
    throw error;
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
    const { requester, ...attempt } = await this.#attempt(
      pullRequestNumber,
      caller.userEntityRef,
      review.event === 'APPROVE'
        ? 'review.approved'
        : 'review.changes-requested',
    );
    if (requester === caller.userEntityRef) {
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
    try {
      await this.#gitOps.review(pullRequestNumber, review, caller);
    } catch (error) {
      await this.#refuse(error as Error, attempt);
    }
    await this.#audit.append({
      ...attempt,
      outcome: 'succeeded',
      reason: review.body,
    });
  }

  /** Merges a request as the caller on GitHub, when GitHub says it may be merged. */
  async merge(
    pullRequestNumber: number,
    caller: Caller,
  ): Promise<{ sha: string }> {
    const { requester: _requester, ...attempt } = await this.#attempt(
      pullRequestNumber,
      caller.userEntityRef,
      'pull-request.merged',
    );
    if (!caller.permitted) {
      await this.#refuse(
        new NotAllowedError('only platform-team may merge deployment requests'),
        attempt,
      );
    }
    let sha = '';
    try {
      sha = (await this.#gitOps.merge(pullRequestNumber, caller)).sha;
    } catch (error) {
      await this.#refuse(error as Error, attempt);
    }
    await this.#audit.append({
      ...attempt,
      outcome: 'succeeded',
      reason: sha,
    });
    return { sha };
  }
}
