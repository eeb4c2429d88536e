import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApprovalVerdict,
  AuditAction,
  DeploymentObservation,
  PullRequestReview,
  RegionalModelDeployment,
  computeDeploymentProgress,
  evaluateApproval,
  githubLoginOf,
  modelNameOf,
  observeRegionalDeployment,
  observeRetirement,
  userEntityRefOfLogin,
} from '@internal/plugin-omnivision-common';
import type {
  GitOpsPullRequest,
  GitOpsPullRequestDetail,
  GitOpsPullRequests,
} from '@internal/plugin-omnivision-node';
import type { AuditTrail } from '../audit/AuditTrail';
import { lifecycleEventKey } from '../audit/lifecycleEventKey';
import type { CodeOwnerDirectory } from './CodeOwnerDirectory';
import type {
  DeploymentRequestStore,
  StoredRequest,
} from './DeploymentRequestStore';
import type { ModelDeploymentsSource } from './DeploymentRequestReader';
import { RequestNotifier, requestPath } from './RequestNotifier';

/** The portal itself, as the actor of what it observes and posts. */
export const PORTAL_ACTOR = 'omnivision-portal';

/** Who made a change on GitHub: their login, and their Backstage user when they act through the portal. */
export interface GitHubActor {
  login: string;
  userEntityRef?: string;
}

const AUDITED_STAGES: Record<DeploymentObservation['stage'], AuditAction> = {
  synced: 'deployment.synced',
  canary: 'deployment.canary',
  healthy: 'deployment.healthy',
  failed: 'deployment.failed',
  retired: 'deployment.retired',
};

const sameObservation = (a: DeploymentObservation, b: DeploymentObservation) =>
  a.stage === b.stage &&
  a.region === b.region &&
  a.revision === b.revision &&
  (a.step ?? 0) === (b.step ?? 0);

/**
 * The lifecycle of deployment requests, driven by events: what GitHub's webhooks and the
 * reconciler say of a pull request goes into the request store; each change is written into the
 * audit trail once (by its key, however many replicas see it), re-evaluates the approval gate
 * (posted as the `omnivision/approval` status when its verdict changes), signals open pages and
 * notifies the people concerned. What the fleet caches observe of merged requests becomes their
 * timeline the same way. Pages only read the store.
 */
export class RequestLifecycle {
  readonly #store: DeploymentRequestStore;
  readonly #audit: AuditTrail;
  readonly #gitOps: GitOpsPullRequests;
  readonly #codeOwners: CodeOwnerDirectory;
  readonly #notifier: RequestNotifier;
  readonly #fleet: ModelDeploymentsSource;
  readonly #logger: LoggerService;
  readonly #portalBaseUrl?: string;
  /** The tail of each request's changes in this replica. */
  readonly #queues = new Map<number, Promise<void>>();

  static create(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    gitOps: GitOpsPullRequests;
    codeOwners: CodeOwnerDirectory;
    notifier: RequestNotifier;
    fleet: ModelDeploymentsSource;
    logger: LoggerService;
    /** The portal's URL (`app.baseUrl`), for the status's link to the request's page. */
    portalBaseUrl?: string;
  }): RequestLifecycle {
    return new RequestLifecycle(options);
  }

  private constructor(options: Parameters<typeof RequestLifecycle.create>[0]) {
    this.#store = options.store;
    this.#audit = options.audit;
    this.#gitOps = options.gitOps;
    this.#codeOwners = options.codeOwners;
    this.#notifier = options.notifier;
    this.#fleet = options.fleet;
    this.#logger = options.logger;
    this.#portalBaseUrl = options.portalBaseUrl;
  }

  /**
   * Reads a request's pull request in full from GitHub and takes it in (record, reconciler);
   * `opened` for a pull request the portal has just opened (no reviews or statuses to read yet).
   */
  async refresh(
    pullRequestNumber: number,
    options: { opened?: boolean } = {},
  ): Promise<void> {
    const detail = await this.#gitOps.get(pullRequestNumber, options);
    await this.#apply(pullRequestNumber, () => detail);
  }

  /**
   * A `pull_request` event: its new state. A head that moved, or a pull request the store has
   * not read yet, is read in full (files, reviews, statuses); anything else is taken from the event.
   */
  async pullRequestChanged(
    pull: GitOpsPullRequest,
    actor?: GitHubActor,
  ): Promise<void> {
    const stored = await this.#store.get(pull.number);
    if (!stored) return;
    if (!stored.pull || stored.pull.headSha !== pull.headSha) {
      await this.refresh(pull.number);
      return;
    }
    await this.#apply(
      pull.number,
      current =>
        // An event older than what the store knows (deliveries may arrive out of order).
        pull.updatedAt < current.pull!.updatedAt
          ? undefined
          : {
              ...current.pull!,
              ...pull,
              // Lists and events may not carry mergeability; keep the last known answer.
              mergeable: pull.mergeable ?? current.pull!.mergeable,
              mergeableState:
                pull.mergeableState ?? current.pull!.mergeableState,
            },
      actor,
    );
  }

  /**
   * A `push` event: a new head on an open request's branch is read in full (also when its
   * `pull_request` event was missed).
   */
  async branchPushed(branch: string, headSha: string): Promise<void> {
    for (const { record, pull } of await this.#store.list({
      states: ['open'],
    })) {
      if (record.branch === branch && pull?.headSha !== headSha) {
        await this.refresh(record.pullRequestNumber);
      }
    }
  }

  /** A `pull_request_review` event, or a review made through the portal: the review as it now is. */
  async reviewChanged(
    pullRequestNumber: number,
    review: PullRequestReview,
    actor?: GitHubActor,
  ): Promise<void> {
    await this.#apply(
      pullRequestNumber,
      current => {
        if (!current.pull) return undefined;
        const reviews = current.pull.reviews.filter(r => r.id !== review.id);
        reviews.push(review);
        reviews.sort(
          (a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.id - b.id,
        );
        return { ...current.pull, reviews };
      },
      actor,
    );
  }

  /** A `status` event: the latest status of a context on a commit. */
  async statusChanged(status: {
    sha: string;
    context: string;
    state: string;
    description?: string;
  }): Promise<void> {
    const open = await this.#store.list({ states: ['open'] });
    for (const { record, pull } of open) {
      if (pull?.headSha !== status.sha) continue;
      await this.#apply(record.pullRequestNumber, current => ({
        ...current.pull!,
        checks: [
          ...current.pull!.checks.filter(c => c.context !== status.context),
          {
            context: status.context,
            state: status.state,
            description: status.description,
          },
        ],
      }));
    }
  }

  /** A merge the portal made: taken in at once, before GitHub's event arrives. */
  async merged(
    pullRequestNumber: number,
    mergeSha: string,
    actor: GitHubActor,
  ): Promise<void> {
    await this.#apply(
      pullRequestNumber,
      current =>
        current.pull && {
          ...current.pull,
          state: 'closed',
          merged: true,
          mergeSha,
          mergedAt: current.pull.mergedAt ?? new Date().toISOString(),
          mergeable: null,
        },
      actor,
    );
  }

  /**
   * Re-evaluates the gate of every open request and posts what differs from the verdict last
   * posted (a post that failed, a membership that changed): the reconciler's repair.
   */
  async regate(): Promise<void> {
    for (const stored of await this.#store.list({ states: ['open'] })) {
      if (stored.pull) await this.#gate(stored);
    }
  }

  /**
   * Turns what the fleet caches observe of merged, unsettled requests into their timeline steps,
   * each once: synced, each canary step, healthy or failed, per region. A request healthy or
   * failed in every region is settled.
   */
  async observeFleet(now: Date = new Date()): Promise<void> {
    const merged = await this.#store.list({
      states: ['merged'],
      settled: false,
    });
    const known = await this.#store.observations(
      merged.map(m => m.record.pullRequestNumber),
    );
    for (const stored of merged) {
      const { record, pull } = stored;
      if (!pull) continue;
      const n = record.pullRequestNumber;
      const deployments = this.#fleet
        .modelDeployments(modelNameOf(record.model))
        .deployments.filter(d => record.regions.includes(d.region));
      const seen = known.get(n) ?? [];
      const fresh = (
        record.kind === 'retire'
          ? this.#retirements(pull, record.regions, deployments, now)
          : deployments.flatMap(d => observeRegionalDeployment(pull, d, now))
      ).filter(o => !seen.some(s => sameObservation(s, o)));
      let changed = false;
      for (const observation of fresh) {
        const action = AUDITED_STAGES[observation.stage];
        const { recorded } = await this.#audit.append({
          actor: PORTAL_ACTOR,
          action,
          outcome: 'succeeded',
          pullRequestNumber: n,
          model: modelNameOf(record.model),
          region: observation.region,
          reason: observation.detail,
          key: lifecycleEventKey({
            pullRequestNumber: n,
            action,
            region: observation.region,
            revision: observation.revision,
            detail:
              observation.step !== undefined
                ? `step ${observation.step}`
                : undefined,
          }),
        });
        await this.#store.addObservation(n, observation);
        seen.push(observation);
        changed = true;
        if (recorded && observation.stage === 'failed') {
          await this.#notifier.notify({
            pullRequestNumber: n,
            to: [record.requester],
            kind: `failed-${observation.region}`,
            severity: 'high',
            title: `${modelNameOf(record.model)} failed in ${
              observation.region
            }`,
            description: `The rollout of request #${n} failed in ${observation.region}: ${observation.detail}`,
          });
        }
      }
      if (!changed) continue;
      const { state } = computeDeploymentProgress(
        record,
        { ...pull, approval: stored.approval ?? this.#noVerdict(pull) },
        seen,
      );
      await this.#notifier.changed(n, state);
      const finished = record.regions.every(region =>
        seen.some(
          o =>
            o.region === region &&
            o.revision === pull.mergeSha &&
            (o.stage === 'healthy' ||
              o.stage === 'failed' ||
              o.stage === 'retired'),
        ),
      );
      // Once per request: the notifications backend replaces a notification of the same scope.
      if (state === 'healthy') {
        await this.#notifier.notify({
          pullRequestNumber: n,
          to: [record.requester],
          kind: 'healthy',
          severity: 'normal',
          title: `${modelNameOf(record.model)} is healthy`,
          description: `Request #${n} is healthy in ${record.regions.join(
            ', ',
          )}.`,
        });
      }
      if (state === 'retired') {
        await this.#notifier.notify({
          pullRequestNumber: n,
          to: [record.requester],
          kind: 'retired',
          severity: 'normal',
          title: `${modelNameOf(record.model)} is retired`,
          description: `Request #${n}: ${modelNameOf(
            record.model,
          )} no longer runs in ${record.regions.join(
            ', ',
          )}; its GPUs are back in the warm pool.`,
        });
      }
      if (finished) await this.#store.settle(n);
    }
  }

  /** A retirement's regions where the model is gone, as the fleet's current figures show. */
  #retirements(
    pull: GitOpsPullRequestDetail,
    regions: string[],
    deployments: RegionalModelDeployment[],
    now: Date,
  ): DeploymentObservation[] {
    const clusters = this.#fleet.fleet().clusters;
    return regions.flatMap(region =>
      observeRetirement(
        pull,
        region,
        deployments.find(d => d.region === region),
        clusters.some(c => c.region === region && !c.health.stale),
        now,
      ),
    );
  }

  /** The verdict of a pull request the gate has not posted on yet. */
  #noVerdict(pull: GitOpsPullRequestDetail): ApprovalVerdict {
    return {
      state: 'pending',
      sha: pull.headSha,
      changesRequestedBy: [],
      description: 'Not evaluated yet',
    };
  }

  /**
   * Runs the changes of one request one after another in this replica (the store's row lock
   * orders them across replicas), so that a verdict is judged and posted once per change.
   */
  #serially(
    pullRequestNumber: number,
    run: () => Promise<void>,
  ): Promise<void> {
    const previous = this.#queues.get(pullRequestNumber) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(pullRequestNumber, settled);
    settled.then(() => {
      if (this.#queues.get(pullRequestNumber) === settled) {
        this.#queues.delete(pullRequestNumber);
      }
    });
    return next;
  }

  #apply(
    pullRequestNumber: number,
    change: (stored: StoredRequest) => GitOpsPullRequestDetail | undefined,
    actor?: GitHubActor,
  ): Promise<void> {
    return this.#serially(pullRequestNumber, () =>
      this.#applyNow(pullRequestNumber, change, actor),
    );
  }

  async #applyNow(
    pullRequestNumber: number,
    change: (stored: StoredRequest) => GitOpsPullRequestDetail | undefined,
    actor?: GitHubActor,
  ): Promise<void> {
    const changed = await this.#store.updatePull(pullRequestNumber, change);
    if (!changed) return;
    const { before, after } = changed;
    await this.#auditTransitions(before, after, actor);
    const verdict = await this.#gate(after);
    const { state } = computeDeploymentProgress(
      after.record,
      {
        ...after.pull!,
        approval: verdict ?? after.approval ?? this.#noVerdict(after.pull!),
      },
      [],
    );
    await this.#notifier.changed(pullRequestNumber, state);
  }

  /**
   * The audit trail's record of what changed on GitHub, each event once by its key, and the
   * notifications of the changes people wait for: the store changed once (a row lock), so each
   * is sent once, however many replicas and paths (the portal, GitHub's event) brought it.
   */
  async #auditTransitions(
    before: StoredRequest,
    after: StoredRequest,
    actor?: GitHubActor,
  ): Promise<void> {
    const { record } = after;
    const pull = after.pull!;
    const was = before.pull;
    const n = record.pullRequestNumber;
    const model = modelNameOf(record.model);
    const by = (login?: string) =>
      login
        ? {
            actor:
              actor?.login === login && actor.userEntityRef
                ? actor.userEntityRef
                : userEntityRefOfLogin(login),
            githubLogin: login,
          }
        : { actor: PORTAL_ACTOR };

    if (was && was.headSha !== pull.headSha) {
      await this.#audit.append({
        ...by(actor?.login),
        action: 'pull-request.synchronized',
        outcome: 'succeeded',
        pullRequestNumber: n,
        model,
        reason: `head ${pull.headSha}`,
        key: lifecycleEventKey({
          pullRequestNumber: n,
          action: 'pull-request.synchronized',
          revision: pull.headSha,
        }),
      });
    }
    const known = new Map((was?.reviews ?? []).map(r => [r.id, r.state]));
    for (const review of pull.reviews) {
      if (known.get(review.id) === review.state) continue;
      if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED')
        continue;
      const action: AuditAction =
        review.state === 'APPROVED'
          ? 'review.approved'
          : 'review.changes-requested';
      await this.#audit.append({
        ...by(review.user),
        action,
        outcome: 'succeeded',
        pullRequestNumber: n,
        model,
        reason: `on ${review.commitId}${review.body ? `: ${review.body}` : ''}`,
        key: reviewEventKey(n, review),
      });
      // The store changed once for this review, whichever replica or path brought it.
      if (review.state === 'CHANGES_REQUESTED') {
        await this.#notifier.notify({
          pullRequestNumber: n,
          to: [record.requester],
          kind: `changes-requested-${review.id}`,
          severity: 'normal',
          title: `Changes requested on ${model}`,
          description: `${review.user} asks for changes to request #${n}${
            review.body ? `: ${review.body}` : '.'
          }`,
        });
      }
    }
    if (pull.merged && !was?.merged && pull.mergeSha) {
      await this.#audit.append({
        ...by(actor?.login),
        action: 'pull-request.merged',
        outcome: 'succeeded',
        pullRequestNumber: n,
        model,
        reason: pull.mergeSha,
        key: mergeEventKey(n, pull.mergeSha),
      });
      await this.#notifier.notify({
        pullRequestNumber: n,
        to: [record.requester],
        kind: 'merged',
        severity: 'normal',
        title: `${model} merged`,
        description: `Request #${n} was merged${
          actor ? ` by ${actor.login}` : ''
        }; Argo CD rolls it out next.`,
      });
    } else if (
      pull.state === 'closed' &&
      !pull.merged &&
      was?.state !== 'closed'
    ) {
      await this.#audit.append({
        ...by(actor?.login),
        action: 'pull-request.closed',
        outcome: 'succeeded',
        pullRequestNumber: n,
        model,
        reason: 'closed without merging',
        key: lifecycleEventKey({
          pullRequestNumber: n,
          action: 'pull-request.closed',
          revision: pull.headSha,
        }),
      });
    }
  }

  /**
   * Evaluates the approval gate on the head and, when its verdict differs from the one last
   * posted, posts it as the `omnivision/approval` status and audits it. Returns the verdict.
   */
  async #gate(stored: StoredRequest): Promise<ApprovalVerdict | undefined> {
    const { record, pull } = stored;
    if (!pull || pull.state !== 'open') return stored.approval;
    const owners = await this.#codeOwners.codeOwnersAmong(
      pull.reviews.map(r => r.user),
    );
    const verdict = evaluateApproval({
      requesterLogin: githubLoginOf(record.requester),
      headSha: pull.headSha,
      reviews: pull.reviews,
      isCodeOwner: login => owners.has(login),
    });
    const last = stored.approval;
    if (
      last &&
      last.sha === verdict.sha &&
      last.state === verdict.state &&
      last.description === verdict.description
    ) {
      return last;
    }
    const n = record.pullRequestNumber;
    try {
      await this.#gitOps.postApprovalStatus({
        ...verdict,
        targetUrl: this.#portalBaseUrl
          ? `${this.#portalBaseUrl}${requestPath(n)}`
          : undefined,
      });
    } catch (error) {
      // The reconciler posts it again on its next run.
      this.#logger.warn(
        `could not post the approval status of request #${n}: ${error}`,
      );
      return verdict;
    }
    if (!(await this.#store.setApproval(n, verdict))) return verdict;
    const { recorded } = await this.#audit.append({
      actor: PORTAL_ACTOR,
      action: 'approval.status',
      outcome: 'succeeded',
      pullRequestNumber: n,
      model: modelNameOf(record.model),
      reason: `${verdict.state}: ${verdict.description}`,
      key: lifecycleEventKey({
        pullRequestNumber: n,
        action: 'approval.status',
        revision: verdict.sha,
        detail: `${verdict.state}|${verdict.description}`,
      }),
    });
    if (recorded && verdict.state === 'success') {
      await this.#notifier.notify({
        pullRequestNumber: n,
        to: [record.requester],
        kind: `approved-${verdict.sha}`,
        severity: 'normal',
        title: `${modelNameOf(record.model)} approved`,
        description: `${verdict.approvedBy} approved request #${n}; it can be merged.`,
      });
    }
    return verdict;
  }
}

/** The key of a review's audit event: the same review is recorded once, by the portal or its event. */
export function reviewEventKey(
  pullRequestNumber: number,
  review: Pick<PullRequestReview, 'id' | 'state'>,
): string {
  return lifecycleEventKey({
    pullRequestNumber,
    action:
      review.state === 'APPROVED'
        ? 'review.approved'
        : 'review.changes-requested',
    detail: `review ${review.id}`,
  });
}

/** The key of a merge's audit event: recorded once, by the portal or its event. */
export function mergeEventKey(
  pullRequestNumber: number,
  mergeSha: string,
): string {
  return lifecycleEventKey({
    pullRequestNumber,
    action: 'pull-request.merged',
    revision: mergeSha,
  });
}
