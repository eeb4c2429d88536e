import { createHash } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isUserEntity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeploymentRequest,
  DeploymentRequestRecord,
  deploymentBranch,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import type { DeploymentPlanner } from '@internal/plugin-omnivision-node';
import type { AuditTrail } from '../audit/AuditTrail';
import type { DeploymentRequestStore } from './DeploymentRequestStore';

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
 * Records a deployment request once its pull request is open, checked against its branch and the
 * policy (never taken on trust), and writes the request and its pull request into the audit trail.
 */
export class DeploymentRequestRecorder {
  readonly #store: DeploymentRequestStore;
  readonly #audit: AuditTrail;
  readonly #planner: DeploymentPlanner;
  readonly #catalog: CatalogService;

  static create(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    planner: DeploymentPlanner;
    catalog: CatalogService;
  }): DeploymentRequestRecorder {
    return new DeploymentRequestRecorder(options);
  }

  private constructor(options: {
    store: DeploymentRequestStore;
    audit: AuditTrail;
    planner: DeploymentPlanner;
    catalog: CatalogService;
  }) {
    this.#store = options.store;
    this.#audit = options.audit;
    this.#planner = options.planner;
    this.#catalog = options.catalog;
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
    const entity = await this.#catalog.getEntityByRef(requester, {
      credentials,
    });
    const { violations, plan } = await this.#planner.check(request, {
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
    const { created } = await this.#store.upsert(record);
    const model = modelNameOf(request.model);
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
    }
    await this.#audit.append({
      actor: requester,
      action: created ? 'pull-request.opened' : 'pull-request.updated',
      outcome: 'succeeded',
      pullRequestNumber,
      model,
      reason: pullRequest.url,
    });
    return (await this.#store.get(pullRequestNumber))!;
  }
}
