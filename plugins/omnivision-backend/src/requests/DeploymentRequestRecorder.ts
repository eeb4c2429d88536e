import { createHash } from 'node:crypto';
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { isUserEntity } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeploymentRequest,
  DeploymentRequestRecord,
  deploymentBranch,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import {
  type DeploymentPlan,
  type DeploymentPlanner,
  describeViolations,
} from '@internal/plugin-omnivision-node';
import type { AuditTrail } from '../audit/AuditTrail';
import { markAudited } from '../audit/markAudited';
import type { DeploymentRequestStore } from './DeploymentRequestStore';
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
  readonly #catalog: CatalogService;
  readonly #lifecycle: RequestLifecycle;
  readonly #notifier: RequestNotifier;
  readonly #approvers: string;
  readonly #logger: LoggerService;

  static create(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    planner: DeploymentPlanner;
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
    const requester = credentials.principal.userEntityRef;
    const refuse = async (error: Error): Promise<never> => {
      await this.#audit.append({
        actor: requester,
        action: 'request.created',
        outcome: 'refused',
        pullRequestNumber,
        model: modelNameOf(request.model),
        reason: error.message,
      });
      throw markAudited(error);
    };
    const others = (
      await this.#store.list({ model: request.model, states: ['open'] })
    ).filter(
      ({ record }) =>
        record.requester !== requester &&
        record.pullRequestNumber !== pullRequestNumber,
    );
    if (others.length > 0) {
      const [other] = others;
      await refuse(
        new ConflictError(
          `${modelNameOf(request.model)} already has an open request: #${
            other.record.pullRequestNumber
          } by ${other.record.requester} (${
            other.record.pullRequestUrl
          }). It is theirs to change or close; ask them, or wait until it is merged or closed.`,
        ),
      );
    }
    const entity = await this.#catalog.getEntityByRef(requester, {
      credentials,
    });
    const { violations, plan } = await this.#planner.check(request, {
      credentials,
      user: entity && isUserEntity(entity) ? entity : undefined,
      ref: requester,
    });
    if (!plan) return refuse(new InputError(describeViolations(violations)));
    return plan;
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
    const requester = credentials.principal.userEntityRef;
    const pullRequestNumber = pullRequest.number;
    const model = modelNameOf(request.model);
    const branch = deploymentBranch(request);
    const refuse = async (error: Error): Promise<never> => {
      await this.#audit.append({
        actor: requester,
        action: 'request.created',
        outcome: 'refused',
        pullRequestNumber,
        model,
        reason: error.message,
      });
      throw markAudited(error);
    };
    if (pullRequest.branch !== branch) {
      await refuse(
        new InputError(
          `pull request #${pullRequestNumber} is from ${pullRequest.branch}, not from this request's branch ${branch}`,
        ),
      );
    }
    const plan = await this.admit(request, credentials, pullRequestNumber);
    const record = {
      ...request,
      kind: 'deploy' as const,
      // The version as resolved: a rollback goes back to it.
      version: plan.version,
      pullRequestNumber,
      pullRequestUrl: pullRequest.url,
      branch,
      requester,
      team: plan.team,
      policyResults: plan.policyResults,
      filesDigest: digestFiles(plan.files),
    };
    let created = false;
    try {
      created = (await this.#store.upsert(record)).created;
    } catch (error) {
      await refuse(error as Error);
    }
    if (created) {
      await this.#audit.append({
        actor: requester,
        action: 'request.created',
        outcome: 'succeeded',
        pullRequestNumber,
        model,
        reason: `${request.gpuProfile} in ${request.regions.join(', ')}, ${
          request.minReplicas
        }-${request.maxReplicas} replicas; files ${record.filesDigest}`,
      });
      await this.#notifier.notify({
        pullRequestNumber,
        to: [this.#approvers],
        except: requester,
        kind: 'review-requested',
        severity: 'normal',
        title: `${model} awaits your review`,
        description: `${requester} asks to deploy ${model} (${
          request.gpuProfile
        }, ${request.regions.join(', ')}): request #${pullRequestNumber}.`,
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
