import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  ControlledRollout,
  RolloutControlAction,
  RolloutSummary,
  rolloutControlPatches,
} from '@internal/plugin-omnivision-common';
import type { AuditTrail } from '../audit/AuditTrail';
import { markAudited } from '../audit/markAudited';
import type { FleetStatusService } from '../fleet/FleetStatusService';
import { KubeApiError } from '../fleet/kubernetes/ClusterConnection';
import { summarizeRollout } from '../fleet/kubernetes/deliverySummaries';

/** One control of a model's canary, by a person the route let through. */
export interface RolloutControlRequest {
  model: string;
  region: string;
  action: RolloutControlAction;
  /** The person's entity ref, as the audit trail records them. */
  actor: string;
}

/** What a control did: the Rollout as its cluster answered the last patch. */
export interface RolloutControlResult {
  model: string;
  region: string;
  cluster: string;
  action: RolloutControlAction;
  rollout: RolloutSummary;
}

/**
 * Promotes, aborts, pauses or resumes a model's Argo Rollout in a region, as Argo Rollouts'
 * kubectl plugin does: reads the live Rollout from the region's cluster, then sends the plugin's
 * JSON merge patches (`rolloutControlPatches`), the status subresource's first, with the fleet's
 * credentials. Each attempt that reaches a cluster is in the audit trail, whether the cluster
 * applied it (`succeeded`) or not (`refused`, with the cluster's answer).
 */
export class RolloutControl {
  readonly #fleet: Pick<FleetStatusService, 'rolloutOf'>;
  readonly #audit: Pick<AuditTrail, 'append'>;

  static create(options: {
    fleet: Pick<FleetStatusService, 'rolloutOf'>;
    audit: Pick<AuditTrail, 'append'>;
  }): RolloutControl {
    return new RolloutControl(options.fleet, options.audit);
  }

  private constructor(
    fleet: Pick<FleetStatusService, 'rolloutOf'>,
    audit: Pick<AuditTrail, 'append'>,
  ) {
    this.#fleet = fleet;
    this.#audit = audit;
  }

  /**
   * Runs one action. Throws `NotFoundError` when the model has no Rollout in the region (nothing
   * is sent), and `ServiceUnavailableError` when the cluster cannot be reached or refuses the
   * patch (recorded as refused).
   */
  async control(request: RolloutControlRequest): Promise<RolloutControlResult> {
    const { model, region, action, actor } = request;
    const target = this.#fleet.rolloutOf(model, region);
    if (!target) {
      throw new NotFoundError(`${model} is not deployed in ${region}`);
    }
    const { connection, timeoutMs, cluster } = target;
    const { namespace, name } = target.rollout;
    const path = `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(
      namespace,
    )}/rollouts/${encodeURIComponent(name)}`;
    const where = `Rollout ${namespace}/${name} on ${cluster}`;
    const record = (outcome: 'succeeded' | 'refused', reason: string) =>
      this.#audit.append({
        actor,
        action: `rollout.${action}`,
        outcome,
        model,
        region,
        reason,
      });
    try {
      const live = await connection.get<ControlledRollout>(path, {}, timeoutMs);
      const patches = rolloutControlPatches(action, live);
      let answered: unknown = live;
      if (patches.status) {
        answered = await connection.patch(
          `${path}/status`,
          patches.status,
          timeoutMs,
        );
      }
      if (patches.spec) {
        answered = await connection.patch(path, patches.spec, timeoutMs);
      }
      const rollout = summarizeRollout(answered);
      await record(
        'succeeded',
        `${action} of ${where}: ${JSON.stringify(patches)}`,
      );
      return { model, region, cluster, action, rollout };
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      const reason = `${cluster} did not ${action} ${where}: ${error.message}`;
      await record('refused', reason);
      throw markAudited(
        error.statusCode === 404
          ? new NotFoundError(
              `${model} is not deployed in ${region}: ${reason}`,
            )
          : new ServiceUnavailableError(reason),
      );
    }
  }
}
