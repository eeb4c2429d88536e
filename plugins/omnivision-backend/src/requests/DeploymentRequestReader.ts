import { parseEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ApprovalVerdict,
  DeploymentObservation,
  DeploymentRequestDetail,
  DeploymentRequestSummary,
  FleetStatus,
  ModelDeployments,
  computeDeploymentProgress,
  githubLoginOf,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import type {
  DeploymentRequestStore,
  StoredRequest,
} from './DeploymentRequestStore';

/** Where the models' deployments in the fleet are read: the fleet's watch caches. */
export interface ModelDeploymentsSource {
  modelDeployments(model: string): ModelDeployments;
  /** Each cluster's region and how fresh its figures are (a model gone from a stale region may still run). */
  fleet(): Pick<FleetStatus, 'clusters'>;
}

/** Who lists requests: their ref and the groups they belong to. */
export interface RequestReader {
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

function summaryOf(
  stored: StoredRequest,
  observations: DeploymentObservation[],
): DeploymentRequestSummary {
  const { record, pull, approval } = stored;
  const verdict: ApprovalVerdict | undefined =
    approval?.sha === pull?.headSha ? approval : undefined;
  return {
    ...record,
    requestedReviewers: pull?.requestedReviewers ?? [],
    approval: verdict,
    progress: computeDeploymentProgress(
      record,
      pull && {
        ...pull,
        approval: verdict ?? {
          state: 'pending',
          sha: pull.headSha,
          changesRequestedBy: [],
          description: 'Waiting for the approval gate',
        },
      },
      observations,
    ),
  };
}

/**
 * Tells where each recorded request stands from the request store alone: its record, what the
 * portal last learnt of its pull request (GitHub's events and the reconciler keep it current) and
 * what it observed in each region. Costs no GitHub call, however many people look.
 */
export class DeploymentRequestReader {
  readonly #store: DeploymentRequestStore;

  static create(options: {
    store: DeploymentRequestStore;
  }): DeploymentRequestReader {
    return new DeploymentRequestReader(options.store);
  }

  private constructor(store: DeploymentRequestStore) {
    this.#store = store;
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
    const login = githubLoginOf(me);
    const stored = (
      await this.#store.list({
        ...(filter === 'mine' && { requester: me }),
        ...(filter === 'review' && { states: ['open' as const] }),
      })
    ).filter(
      ({ record, pull }) =>
        (!options.model || modelNameOf(record.model) === options.model) &&
        (filter !== 'review' ||
          (record.requester !== me &&
            (pull?.requestedReviewers ?? []).some(
              r => r === login || myTeams.has(r),
            ))),
    );
    const observations = await this.#store.observations(
      stored.map(s => s.record.pullRequestNumber),
    );
    return stored.map(s =>
      summaryOf(s, observations.get(s.record.pullRequestNumber) ?? []),
    );
  }

  /** One request in full: diff, reviews, checks, mergeability and timeline. */
  async get(pullRequestNumber: number): Promise<DeploymentRequestDetail> {
    const stored = await this.#store.get(pullRequestNumber);
    if (!stored) {
      throw new NotFoundError(`no deployment request #${pullRequestNumber}`);
    }
    const observations = await this.#store.observations([pullRequestNumber]);
    const { pull } = stored;
    return {
      ...summaryOf(stored, observations.get(pullRequestNumber) ?? []),
      title: pull?.title ?? '',
      headSha: pull?.headSha,
      mergeable: pull?.mergeable ?? null,
      mergeableState: pull?.mergeableState,
      reviews: pull?.reviews ?? [],
      files: pull?.files ?? [],
      checks: pull?.checks ?? [],
    };
  }
}
