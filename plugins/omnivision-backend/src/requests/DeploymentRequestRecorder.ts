import { createHash } from 'node:crypto';
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { RELATION_MEMBER_OF, isUserEntity } from '@backstage/catalog-model';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeploymentRequest,
  DeploymentRequestRecord,
  ModelChangeRequest,
  deploymentBranch,
  modelNameOf,
  ownerEntityRef,
} from '@internal/plugin-omnivision-common';
import {
  type DeploymentPlan,
  type DeploymentPlanner,
  type DeploymentRequester,
  describeViolations,
} from '@internal/plugin-omnivision-node';
import type { AuditTrail } from '../audit/AuditTrail';
import { markAudited } from '../audit/markAudited';
import type { DeploymentRequestStore } from './DeploymentRequestStore';
import type { ModelChangePlan, ModelChangePlanner } from './ModelChangePlanner';
import type { RequestLifecycle } from './RequestLifecycle';
import type { RequestNotifier } from './RequestNotifier';

/** A person's credentials: requests are recorded on behalf of the person who asked. */
export type UserCredentials = BackstageCredentials<{
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

/**
 * Admits deployment requests: checks a request before its pull request is opened (the policy,
 * with the team's GPUs across the fleet, and no other person's open request for the model), and
 * records it once its pull request is open, checked again (never taken on trust), with its
 * requester fixed. Every refusal goes into the audit trail; a new request notifies the approving
 * team.
 */
export class DeploymentRequestRecorder {
  readonly #store: DeploymentRequestStore;
  readonly #audit: AuditTrail;
  readonly #planner: DeploymentPlanner;
  readonly #changes: ModelChangePlanner;
  readonly #catalog: CatalogService;
  readonly #lifecycle: RequestLifecycle;
  readonly #notifier: RequestNotifier;
  readonly #approvers: string;
  readonly #logger: LoggerService;

  static create(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    planner: DeploymentPlanner;
    /** Plans rollbacks and retirements. */
    changes: ModelChangePlanner;
    catalog: CatalogService;
    lifecycle: RequestLifecycle;
    notifier: RequestNotifier;
    /** The group that reviews requests, notified of each new one. */
    approvers: string;
    logger: LoggerService;
  }): DeploymentRequestRecorder {
    return new DeploymentRequestRecorder(options);
  }

  private constructor(
    options: Parameters<typeof DeploymentRequestRecorder.create>[0],
  ) {
    this.#store = options.store;
    this.#audit = options.audit;
    this.#planner = options.planner;
    this.#changes = options.changes;
    this.#catalog = options.catalog;
    this.#lifecycle = options.lifecycle;
    this.#notifier = options.notifier;
    this.#approvers = options.approvers;
    this.#logger = options.logger;
  }

  /**
   * Checks a request as the person asking, before anything is written: every rule of the policy
   * (the quota counting what the team already holds), and that no other person has an open
   * request for the same model. A refusal is audited and thrown (400 for the policy, 409 for
   * another person's request); returns the plan.
   */
  async admit(
    request: DeploymentRequest,
    credentials: UserCredentials,
    pullRequestNumber?: number,
  ): Promise<DeploymentPlan> {
    const refuse = this.#refuser(request.model, credentials, pullRequestNumber);
    await this.#refuseOthersOpen(
      request.model,
      credentials,
      refuse,
      pullRequestNumber,
    );
    const { violations, plan } = await this.#planner.check(
      request,
      await this.#requester(credentials),
    );
    if (!plan) return refuse(new InputError(describeViolations(violations)));
    return plan;
  }

  /**
   * Checks a rollback or retirement as the person asking, before anything is written: no other
   * person's open request for the model, then the change's own checks (a region the model does
   * not run in, a region never recorded healthy, the policy of what a rollback deploys). A refusal
   * is audited and thrown; returns the plan.
   */
  async admitChange(
    change: ModelChangeRequest,
    credentials: UserCredentials,
    pullRequestNumber?: number,
  ): Promise<ModelChangePlan> {
    const refuse = this.#refuser(change.model, credentials, pullRequestNumber);
    await this.#refuseOthersOpen(
      change.model,
      credentials,
      refuse,
      pullRequestNumber,
    );
    try {
      const requester = await this.#requester(credentials);
      await this.#assertOwns(change, requester, credentials);
      return await this.#changes.plan(change, requester);
    } catch (error) {
      return refuse(error as Error);
    }
  }

  /**
   * Only the model's owners roll it back or retire it: its entity's `spec.owner` must be the
   * person or one of their teams (their catalog `memberOf` relations), else 403.
   */
  async #assertOwns(
    change: ModelChangeRequest,
    requester: DeploymentRequester,
    credentials: UserCredentials,
  ): Promise<void> {
    const name = modelNameOf(change.model);
    let entity;
    try {
      entity = await this.#catalog.getEntityByRef(change.model, {
        credentials,
      });
    } catch {
      throw new InputError(
        `cannot ${change.kind} ${name}: ${JSON.stringify(
          change.model,
        )} is not an entity reference`,
      );
    }
    const owner = (entity?.spec as { owner?: unknown } | undefined)?.owner;
    if (!entity || typeof owner !== 'string') {
      throw new InputError(
        `cannot ${change.kind} ${name}: the catalog has no model ${change.model} with an owner`,
      );
    }
    const ownership = [
      credentials.principal.userEntityRef,
      ...(requester.user?.relations ?? [])
        .filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef),
    ].map(ref => ownerEntityRef(ref));
    if (!ownership.includes(ownerEntityRef(owner))) {
      throw new NotAllowedError(
        `only ${ownerEntityRef(owner)}, the owner of ${name}, may ${
          change.kind === 'retire' ? 'retire' : 'roll back'
        } it`,
      );
    }
  }

  /** The regions of an admitted request where its model already runs: it updates it there. */
  async runningIn(request: DeploymentRequest): Promise<string[]> {
    return this.#changes.regionsRunning(request.model, request.regions);
  }

  /** Audits a refused request of the person and throws the refusal, marked audited. */
  #refuser(
    modelRef: string,
    credentials: UserCredentials,
    pullRequestNumber?: number,
  ): (error: Error) => Promise<never> {
    return async error => {
      await this.#audit.append({
        actor: credentials.principal.userEntityRef,
        action: 'request.created',
        outcome: 'refused',
        pullRequestNumber,
        model: modelNameOf(modelRef),
        reason: error.message,
      });
      throw markAudited(error);
    };
  }

  /** Refuses (409) when another person has an open request for the model. */
  async #refuseOthersOpen(
    modelRef: string,
    credentials: UserCredentials,
    refuse: (error: Error) => Promise<never>,
    pullRequestNumber?: number,
  ): Promise<void> {
    const requester = credentials.principal.userEntityRef;
    const others = (
      await this.#store.list({ model: modelRef, states: ['open'] })
    ).filter(
      ({ record }) =>
        record.requester !== requester &&
        record.pullRequestNumber !== pullRequestNumber,
    );
    if (others.length > 0) {
      const [other] = others;
      await refuse(
        new ConflictError(
          `${modelNameOf(modelRef)} already has an open request: #${
            other.record.pullRequestNumber
          } by ${other.record.requester} (${
            other.record.pullRequestUrl
          }). It is theirs to change or close; ask them, or wait until it is merged or closed.`,
        ),
      );
    }
  }

  /** The person asking, with their user entity (their teams, for the quota and ownership). */
  async #requester(credentials: UserCredentials): Promise<DeploymentRequester> {
    const ref = credentials.principal.userEntityRef;
    const entity = await this.#catalog.getEntityByRef(ref, { credentials });
    return {
      credentials,
      user: entity && isUserEntity(entity) ? entity : undefined,
      ref,
    };
  }

  /**
   * Records a request when the deploy template's pull request step has opened its pull request,
   * on behalf of the person who asked: the branch must be the request's own and the request must
   * still be admitted (its files' digest is what was asked for). Running the same request again
   * updates the record; another person's record of the same pull request is refused. The pull
   * request is then read from GitHub once and the approval gate posts its first verdict.
   */
  async record(
    pullRequest: { number: number; url: string; branch: string },
    request: DeploymentRequest,
    credentials: UserCredentials,
  ): Promise<DeploymentRequestRecord> {
    const branch = deploymentBranch(request);
    await this.#checkBranch(pullRequest, branch, request.model, credentials);
    const plan = await this.admit(request, credentials, pullRequest.number);
    return this.#record(
      pullRequest,
      {
        ...request,
        kind: 'deploy',
        // The version as resolved: a rollback goes back to it.
        version: plan.version,
        branch,
        team: plan.team,
        policyResults: plan.policyResults,
        filesDigest: digestFiles(plan.files),
      },
      `${request.gpuProfile} in ${request.regions.join(', ')}, ${
        request.minReplicas
      }-${request.maxReplicas} replicas`,
      `deploy ${modelNameOf(request.model)} (${
        request.gpuProfile
      }, ${request.regions.join(', ')})`,
      credentials,
    );
  }

  /**
   * Records a rollback or retirement when its template has opened its pull request, as
   * {@link DeploymentRequestRecorder.record} does a deployment: the branch must be the change's
   * own and the change still admitted. A rollback is recorded with what it deploys (the version,
   * profile, replicas and rollout each region last ran healthy with); a retirement with no profile
   * and no replicas.
   */
  async recordChange(
    pullRequest: { number: number; url: string; branch: string },
    change: ModelChangeRequest,
    credentials: UserCredentials,
  ): Promise<DeploymentRequestRecord> {
    const plan = await this.admitChange(
      change,
      credentials,
      pullRequest.number,
    );
    await this.#checkBranch(
      pullRequest,
      plan.branch,
      change.model,
      credentials,
    );
    const name = modelNameOf(change.model);
    const what =
      change.kind === 'retire'
        ? `retire ${name} from ${change.regions.join(', ')}`
        : `roll ${name} back to ${
            plan.request.version ?? 'its last healthy request'
          } in ${change.regions.join(', ')}`;
    return this.#record(
      pullRequest,
      {
        ...plan.request,
        kind: change.kind,
        branch: plan.branch,
        team: plan.team,
        policyResults: plan.policyResults,
        filesDigest: digestFiles(
          plan.files.map(f => ({
            path: f.path,
            content: 'content' in f ? f.content : '',
          })),
        ),
      },
      `${change.kind}: ${what}`,
      what,
      credentials,
    );
  }

  /** Refuses (audited) a pull request that is not from the request's own branch. */
  async #checkBranch(
    pullRequest: { number: number; branch: string },
    branch: string,
    modelRef: string,
    credentials: UserCredentials,
  ): Promise<void> {
    if (pullRequest.branch !== branch) {
      await this.#refuser(
        modelRef,
        credentials,
        pullRequest.number,
      )(
        new InputError(
          `pull request #${pullRequest.number} is from ${pullRequest.branch}, not from this request's branch ${branch}`,
        ),
      );
    }
  }

  /**
   * Stores an admitted request (the requester fixed), audits it once, notifies the approving
   * team of a new one, then reads its pull request once and has the approval gate post its
   * first verdict.
   */
  async #record(
    pullRequest: { number: number; url: string },
    fields: Omit<
      DeploymentRequestRecord,
      | 'pullRequestNumber'
      | 'pullRequestUrl'
      | 'requester'
      | 'createdAt'
      | 'updatedAt'
    >,
    summary: string,
    asks: string,
    credentials: UserCredentials,
  ): Promise<DeploymentRequestRecord> {
    const requester = credentials.principal.userEntityRef;
    const pullRequestNumber = pullRequest.number;
    const model = modelNameOf(fields.model);
    const record = {
      ...fields,
      pullRequestNumber,
      pullRequestUrl: pullRequest.url,
      requester,
    };
    let created = false;
    try {
      created = (await this.#store.upsert(record)).created;
    } catch (error) {
      await this.#refuser(
        fields.model,
        credentials,
        pullRequestNumber,
      )(error as Error);
    }
    if (created) {
      await this.#audit.append({
        actor: requester,
        action: 'request.created',
        outcome: 'succeeded',
        pullRequestNumber,
        model,
        reason: `${summary}; files ${record.filesDigest}`,
      });
      await this.#notifier.notify({
        pullRequestNumber,
        to: [this.#approvers],
        except: requester,
        kind: 'review-requested',
        severity: 'normal',
        title: `${model} awaits your review`,
        description: `${requester} asks to ${asks}: request #${pullRequestNumber}.`,
      });
    }
    await this.#audit.append({
      actor: requester,
      action: created ? 'pull-request.opened' : 'pull-request.updated',
      outcome: 'succeeded',
      pullRequestNumber,
      model,
      reason: pullRequest.url,
    });
    try {
      await this.#lifecycle.refresh(pullRequestNumber, { opened: created });
    } catch (error) {
      // GitHub's events and the reconciler bring the pull request in later.
      this.#logger.warn(
        `could not read pull request #${pullRequestNumber} yet: ${error}`,
      );
    }
    return (await this.#store.get(pullRequestNumber))!.record;
  }
}
