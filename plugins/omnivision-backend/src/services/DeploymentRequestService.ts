import { createHash } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isUserEntity, parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeploymentProgress,
  DeploymentRequest,
  DeploymentRequestDetail,
  DeploymentRequestRecord,
  DeploymentRequestSummary,
  PullRequestProgress,
  computeDeploymentProgress,
  deploymentBranch,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import {
  DeploymentPlanner,
  GitHubClient,
  GitOpsRepository,
  createGitHubClient,
} from '@internal/plugin-omnivision-node';
import type { AuditTrail } from './AuditTrail';
import type { DeploymentRequestStore } from './DeploymentRequestStore';
import type { FleetStatusService } from './FleetStatusService';

type UserCredentials = BackstageCredentials<{
  type: 'user';
  userEntityRef: string;
}>;

/** The sha256 of rendered files, path by path: what was asked for, byte for byte. */
export function digestFiles(
  files: Array<{ path: string; content: string }>,
): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(`${f.path}\0${f.content}\0`);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Who reviews or merges: their ref, their own GitHub token, and whether the policy permits it. */
export interface Caller {
  userEntityRef: string;
  githubToken: string;
  permitted: boolean;
}

/** What the request service works with. */
export interface DeploymentRequestServiceOptions {
  store: DeploymentRequestStore;
  audit: AuditTrail;
  planner: DeploymentPlanner;
  catalog: CatalogService;
  fleet: FleetStatusService;
  /** The GitOps repository and the portal's own token for reading it. */
  repository: () => Promise<GitOpsRepository>;
}

/**
 * Deployment requests from pull request to healthy canary: records a request once its pull
 * request is open (checked against GitHub and the policy, never taken on trust), tells where
 * each stands from GitHub and the fleet, and lets a person review and merge with their own
 * GitHub token, so that GitHub's branch protection stays the gate. Every action and every refusal
 * goes into the audit trail.
 */
export class DeploymentRequestService {
  static create(
    options: DeploymentRequestServiceOptions,
  ): DeploymentRequestService {
    return new DeploymentRequestService(options);
  }

  /** Observations (request, action, region) known to be in the audit trail. */
  readonly #recordedObservations = new Set<string>();

  private constructor(
    private readonly options: DeploymentRequestServiceOptions,
  ) {}

  async #portal(): Promise<{ github: GitHubClient; repo: GitOpsRepository }> {
    const repo = await this.options.repository();
    return { github: createGitHubClient(repo), repo };
  }

  /**
   * Records a request when the deploy template's pull request step has opened its pull request,
   * on behalf of the person who asked: the branch must be the request's own and the request must
   * still pass every rule (its files' digest is what was asked for). Running the same request
   * again updates the record. Costs no GitHub call: the scaffolder opened the pull request itself.
   */
  async record(
    pullRequest: { number: number; url: string; branch: string },
    request: DeploymentRequest,
    credentials: UserCredentials,
  ): Promise<DeploymentRequestRecord> {
    const requester = credentials.principal.userEntityRef;
    const pullRequestNumber = pullRequest.number;
    const branch = deploymentBranch(request);
    if (pullRequest.branch !== branch) {
      throw new InputError(
        `pull request #${pullRequestNumber} is from ${pullRequest.branch}, not from this request's branch ${branch}`,
      );
    }
    const entity = await this.options.catalog.getEntityByRef(requester, {
      credentials,
    });
    const { violations, plan } = await this.options.planner.check(request, {
      credentials,
      user: entity && isUserEntity(entity) ? entity : undefined,
      ref: requester,
    });
    if (!plan) {
      throw new InputError(
        `the request breaks ${violations.length} rule(s): ${violations
          .map(v => v.message)
          .join('; ')}`,
      );
    }
    const record = {
      ...request,
      pullRequestNumber,
      pullRequestUrl: pullRequest.url,
      branch,
      requester,
      policyResults: plan.policyResults,
      filesDigest: digestFiles(plan.files),
    };
    const { created } = await this.options.store.upsert(record);
    const model = modelNameOf(request.model);
    if (created) {
      await this.options.audit.append({
        actor: requester,
        action: 'request.created',
        outcome: 'succeeded',
        pullRequestNumber,
        model,
        reason: `${request.gpuProfile} in ${request.regions.join(', ')}, ${
          request.minReplicas
        }-${request.maxReplicas} replicas; files ${record.filesDigest}`,
      });
    }
    await this.options.audit.append({
      actor: requester,
      action: created ? 'pull-request.opened' : 'pull-request.updated',
      outcome: 'succeeded',
      pullRequestNumber,
      model,
      reason: pullRequest.url,
    });
    return (await this.options.store.get(pullRequestNumber))!;
  }

  async #progress(
    record: DeploymentRequestRecord,
    pull: {
      state: string;
      merged_at?: string | null;
      merge_commit_sha?: string | null;
      merged?: boolean;
    },
    reviews: PullRequestProgress['reviews'],
  ): Promise<DeploymentProgress> {
    const merged = pull.merged ?? !!pull.merged_at;
    const progress = computeDeploymentProgress(
      record,
      {
        state: pull.state === 'open' ? 'open' : 'closed',
        merged,
        mergedAt: pull.merged_at ?? undefined,
        mergeSha: merged ? pull.merge_commit_sha ?? undefined : undefined,
        reviews,
      },
      this.options.fleet.modelDeployments(modelNameOf(record.model))
        .deployments,
    );
    await this.#auditObserved(record, progress);
    return progress;
  }

  /**
   * Records, once each, the syncs and healthy canaries the portal observed. Pages poll: what this
   * replica knows is recorded is remembered, so a poll reads the audit trail only when a step is
   * new to it.
   */
  async #auditObserved(
    record: DeploymentRequestRecord,
    progress: DeploymentProgress,
  ) {
    const observed = progress.timeline
      .filter(
        s =>
          s.done && s.region && (s.stage === 'synced' || s.stage === 'healthy'),
      )
      .map(step => {
        const action =
          step.stage === 'synced'
            ? ('deployment.synced' as const)
            : ('deployment.healthy' as const);
        const key = `${record.pullRequestNumber}|${action}|${step.region}`;
        return { step, action, key };
      })
      .filter(o => !this.#recordedObservations.has(o.key));
    if (observed.length === 0) return;
    const known = await this.options.audit.query({
      pullRequestNumber: record.pullRequestNumber,
    });
    for (const { step, action, key } of observed) {
      if (!known.some(e => e.action === action && e.region === step.region)) {
        await this.options.audit.append({
          actor: 'omnivision-portal',
          action,
          outcome: 'succeeded',
          pullRequestNumber: record.pullRequestNumber,
          model: modelNameOf(record.model),
          region: step.region,
          reason: step.detail,
        });
      }
      this.#recordedObservations.add(key);
    }
  }

  async #reviews(
    github: GitHubClient,
    repo: GitOpsRepository,
    pullRequestNumber: number,
  ): Promise<PullRequestProgress['reviews']> {
    const { data } = await github.rest.pulls.listReviews({
      owner: repo.owner,
      repo: repo.repo,
      pull_number: pullRequestNumber,
      per_page: 100,
    });
    return data.map(r => ({
      user: r.user?.login ?? 'unknown',
      state: r.state as PullRequestProgress['reviews'][number]['state'],
      submittedAt: r.submitted_at ?? '',
      body: r.body || undefined,
    }));
  }

  /**
   * Requests with where each stands: everyone's, the caller's own (`mine`), or the open ones of
   * others that GitHub asks the caller, or one of the caller's teams, to review (`review`); of
   * one model only when asked.
   */
  async list(
    filter: 'all' | 'mine' | 'review',
    caller: { userEntityRef: string; ownershipEntityRefs: string[] },
    options: { model?: string } = {},
  ): Promise<DeploymentRequestSummary[]> {
    const me = caller.userEntityRef;
    const myTeams = new Set(
      caller.ownershipEntityRefs
        .filter(ref => ref.startsWith('group:'))
        .map(ref => `@${parseEntityRef(ref).name}`),
    );
    const records = (
      await this.options.store.list(filter === 'mine' ? { requester: me } : {})
    ).filter(r => !options.model || modelNameOf(r.model) === options.model);
    if (records.length === 0) return [];
    const { github, repo } = await this.#portal();
    const pulls = await github.paginate(github.rest.pulls.list, {
      owner: repo.owner,
      repo: repo.repo,
      state: 'all',
      per_page: 100,
    });
    // Catalog users are named by their GitHub login.
    const login = parseEntityRef(me).name;
    const summaries: DeploymentRequestSummary[] = [];
    for (const record of records) {
      const pull = pulls.find(p => p.number === record.pullRequestNumber);
      if (!pull) continue;
      const requestedReviewers = requestedOf(pull);
      if (
        filter === 'review' &&
        (record.requester === me ||
          pull.state !== 'open' ||
          !requestedReviewers.some(r => r === login || myTeams.has(r)))
      )
        continue;
      const reviews =
        pull.state === 'open'
          ? await this.#reviews(github, repo, record.pullRequestNumber)
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
    const record = await this.options.store.get(pullRequestNumber);
    if (!record) {
      throw new NotFoundError(`no deployment request #${pullRequestNumber}`);
    }
    const { github, repo } = await this.#portal();
    const target = {
      owner: repo.owner,
      repo: repo.repo,
      pull_number: pullRequestNumber,
    };
    const [pull, files, reviews] = await Promise.all([
      github.rest.pulls.get(target),
      github.rest.pulls.listFiles({ ...target, per_page: 100 }),
      this.#reviews(github, repo, pullRequestNumber),
    ]);
    const statuses = await github.rest.repos
      .getCombinedStatusForRef({
        owner: repo.owner,
        repo: repo.repo,
        ref: pull.data.head.sha,
      })
      .then(
        r => r.data.statuses,
        () => [],
      );
    return {
      ...record,
      title: pull.data.title,
      mergeable: pull.data.mergeable,
      mergeableState: pull.data.mergeable_state,
      requestedReviewers: requestedOf(pull.data),
      reviews,
      files: files.data.map(f => ({
        path: f.filename,
        status: f.status,
        patch: f.patch,
      })),
      checks: statuses.map(s => ({
        context: s.context,
        state: s.state,
        description: s.description ?? undefined,
      })),
      progress: await this.#progress(record, pull.data, reviews),
    };
  }

  /** Writes a refused attempt into the audit trail and throws its error. */
  private async refuse(
    error: Error,
    attempt: {
      actor: string;
      action:
        | 'review.approved'
        | 'review.changes-requested'
        | 'pull-request.merged';
      pullRequestNumber: number;
      model?: string;
    },
  ): Promise<never> {
    await this.options.audit.append({
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
    const action =
      review.event === 'APPROVE'
        ? 'review.approved'
        : 'review.changes-requested';
    const record = await this.options.store.get(pullRequestNumber);
    if (!record) {
      throw new NotFoundError(`no deployment request #${pullRequestNumber}`);
    }
    const attempt = {
      actor: caller.userEntityRef,
      action,
      pullRequestNumber,
      model: modelNameOf(record.model),
    } as const;
    if (record.requester === caller.userEntityRef) {
      await this.refuse(
        new NotAllowedError('you cannot review your own deployment request'),
        attempt,
      );
    }
    if (!caller.permitted) {
      await this.refuse(
        new NotAllowedError(
          'only platform-team may review deployment requests',
        ),
        attempt,
      );
    }
    if (review.event === 'REQUEST_CHANGES' && !review.body?.trim()) {
      await this.refuse(
        new InputError('requesting changes needs a comment that says which'),
        attempt,
      );
    }
    const repo = await this.options.repository();
    const asCaller = createGitHubClient({ ...repo, token: caller.githubToken });
    try {
      await asCaller.rest.pulls.createReview({
        owner: repo.owner,
        repo: repo.repo,
        pull_number: pullRequestNumber,
        event: review.event,
        body: review.body,
      });
    } catch (error) {
      await this.refuse(gitHubRefusal(error, 'review'), attempt);
    }
    await this.options.audit.append({
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
    const record = await this.options.store.get(pullRequestNumber);
    if (!record) {
      throw new NotFoundError(`no deployment request #${pullRequestNumber}`);
    }
    const attempt = {
      actor: caller.userEntityRef,
      action: 'pull-request.merged',
      pullRequestNumber,
      model: modelNameOf(record.model),
    } as const;
    if (!caller.permitted) {
      await this.refuse(
        new NotAllowedError('only platform-team may merge deployment requests'),
        attempt,
      );
    }
    const repo = await this.options.repository();
    const asCaller = createGitHubClient({ ...repo, token: caller.githubToken });
    let sha = '';
    try {
      const { data } = await asCaller.rest.pulls.merge({
        owner: repo.owner,
        repo: repo.repo,
        pull_number: pullRequestNumber,
        merge_method: 'merge',
      });
      sha = data.sha;
    } catch (error) {
      await this.refuse(gitHubRefusal(error, 'merge'), attempt);
    }
    await this.options.audit.append({
      ...attempt,
      outcome: 'succeeded',
      reason: sha,
    });
    return { sha };
  }
}

/** The people (logins) and teams (`@slug`) GitHub asks to review a pull request. */
function requestedOf(pull: {
  requested_reviewers?: Array<{ login: string }> | null;
  requested_teams?: Array<{ slug: string }> | null;
}): string[] {
  return [
    ...(pull.requested_reviewers ?? []).map(u => u.login),
    ...(pull.requested_teams ?? []).map(t => `@${t.slug}`),
  ];
}

/** GitHub's refusal as the portal's error: its own message, with a status people understand. */
function gitHubRefusal(error: unknown, what: string): Error {
  const e = error as {
    status?: number;
    message?: string;
    response?: { data?: { message?: string } };
  };
  const message = `GitHub refused the ${what}: ${
    e.response?.data?.message ?? e.message ?? 'unknown error'
  }`;
  if (e.status === 401)
    return new NotAllowedError(`${message} (sign in again)`);
  if (e.status === 403 || e.status === 404) return new NotAllowedError(message);
  if (e.status === 405 || e.status === 409 || e.status === 422)
    return new ConflictError(message);
  return error as Error;
}
