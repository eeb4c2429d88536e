import { parseEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  DeploymentProgress,
  DeploymentRequestDetail,
  DeploymentRequestRecord,
  DeploymentRequestSummary,
  ModelDeployments,
  computeDeploymentProgress,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import type {
  GitOpsPullRequest,
  GitOpsPullRequests,
  PullRequestReview,
} from '@internal/plugin-omnivision-node';
import type { DeploymentObservationRecorder } from './DeploymentObservationRecorder';
import type { DeploymentRequestStore } from './DeploymentRequestStore';

/** Where the models' deployments in the fleet are read: the fleet's watch caches. */
export interface ModelDeploymentsSource {
  modelDeployments(model: string): ModelDeployments;
}

/** Who lists requests: their ref and the groups they belong to. */
export interface RequestReader {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/**
 * Tells where each recorded request stands, from its record, its pull request on GitHub and the
 * model's deployments in the fleet; every sync and healthy canary it sees goes to the observation
 * recorder.
 */
export class DeploymentRequestReader {
  readonly #store: DeploymentRequestStore;
  readonly #gitOps: GitOpsPullRequests;
  readonly #fleet: ModelDeploymentsSource;
  readonly #observations: DeploymentObservationRecorder;

  static create(options: {
    store: DeploymentRequestStore;
    gitOps: GitOpsPullRequests;
    fleet: ModelDeploymentsSource;
    observations: DeploymentObservationRecorder;
  }): DeploymentRequestReader {
    return new DeploymentRequestReader(options);
  }

  private constructor(options: {
    store: DeploymentRequestStore;
    gitOps: GitOpsPullRequests;
    fleet: ModelDeploymentsSource;
    observations: DeploymentObservationRecorder;
  }) {
    this.#store = options.store;
    this.#gitOps = options.gitOps;
    this.#fleet = options.fleet;
    this.#observations = options.observations;
  }

  async #progress(
    record: DeploymentRequestRecord,
    pull: GitOpsPullRequest,
    reviews: PullRequestReview[],
  ): Promise<DeploymentProgress> {
    const progress = computeDeploymentProgress(
      record,
      {
        state: pull.state,
        merged: pull.merged,
        mergedAt: pull.mergedAt,
        mergeSha: pull.mergeSha,
        reviews,
      },
      this.#fleet.modelDeployments(modelNameOf(record.model)).deployments,
    );
    await this.#observations.observe(record, progress);
    return progress;
  }

  /**
   * Requests with where each stands: everyone's, the caller's own (`mine`), or the open ones of
   * others that GitHub asks the caller, or one of the caller's teams, to review (`review`); of
   * one model only when asked.
   */
  async list(
    filter: 'all' | 'mine' | 'review',
    caller: RequestReader,
    options: { model?: string } = {},
  ): Promise<DeploymentRequestSummary[]> {
    const me = caller.userEntityRef;
    const myTeams = new Set(
      caller.ownershipEntityRefs
        .filter(ref => ref.startsWith('group:'))
        .map(ref => `@${parseEntityRef(ref).name}`),
    );
    const records = (
      await this.#store.list(filter === 'mine' ? { requester: me } : {})
    ).filter(r => !options.model || modelNameOf(r.model) === options.model);
    if (records.length === 0) return [];
    const pulls = await this.#gitOps.list();
    // Catalog users are named by their GitHub login.
    const login = parseEntityRef(me).name;
    const summaries: DeploymentRequestSummary[] = [];
    for (const record of records) {
      const pull = pulls.find(p => p.number === record.pullRequestNumber);
      if (!pull) continue;
      const { requestedReviewers } = pull;
      if (
        filter === 'review' &&
        (record.requester === me ||
          pull.state !== 'open' ||
          !requestedReviewers.some(r => r === login || myTeams.has(r)))
      )
        continue;
      const reviews =
        pull.state === 'open'
          ? await this.#gitOps.reviews(record.pullRequestNumber)
          : [];
      summaries.push({
        ...record,
        requestedReviewers,
        progress: await this.#progress(record, pull, reviews),
      });
    }
    return summaries;
  }

  /** One request in full: diff, reviews, checks, mergeability and timeline. */
  async get(pullRequestNumber: number): Promise<DeploymentRequestDetail> {
    const record = await this.#store.get(pullRequestNumber);
    if (!record) {
      throw new NotFoundError(`no deployment request #${pullRequestNumber}`);
    }
    const pull = await this.#gitOps.get(pullRequestNumber);
    return {
      ...record,
      title: pull.title,
      mergeable: pull.mergeable,
      mergeableState: pull.mergeableState,
      requestedReviewers: pull.requestedReviewers,
      reviews: pull.reviews,
      files: pull.files,
      checks: pull.checks,
      progress: await this.#progress(record, pull, pull.reviews),
    };
  }
}
