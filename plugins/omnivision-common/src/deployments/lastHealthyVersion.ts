import { modelNameOf } from './deploymentPolicy';
import type { DeploymentRequestRecord } from './deploymentRequests';
import type { DeploymentObservation } from './requestProgress';

/** A recorded request with its merge and what the portal observed of it, region by region. @public */
export interface ObservedRequest {
  record: DeploymentRequestRecord;
  /** Its pull request's merge, when merged. */
  pull?: { merged: boolean; mergeSha?: string };
  observations: DeploymentObservation[];
}

/** The request a region was last recorded healthy with, and when. @public */
export interface LastHealthyVersion {
  /** The request whose merge became healthy there: its version, profile, replicas and rollout. */
  record: DeploymentRequestRecord;
  /** The version it deployed, as recorded (absent for a model that lists no versions). */
  version?: string;
  /** When the region was observed healthy with it. */
  healthyAt: string;
}

/**
 * The version a model last ran healthy in a region: of the model's merged requests that deploy
 * it (first deployments, updates and rollbacks; never a retirement), the one whose merge was most
 * recently observed healthy in that region (`deployment.healthy` of its merge commit there; a
 * later one wins, the newer pull request on a tie). Undefined when no request of the model was
 * ever healthy there. Models compare by name (`vidgen-xl` is `resource:default/vidgen-xl`).
 *
 * @public
 */
export function lastHealthyVersion(
  model: string,
  region: string,
  requests: ObservedRequest[],
): LastHealthyVersion | undefined {
  const name = modelNameOf(model);
  let best: LastHealthyVersion | undefined;
  for (const { record, pull, observations } of requests) {
    if (modelNameOf(record.model) !== name || record.kind === 'retire')
      continue;
    if (!pull?.merged || !pull.mergeSha || !record.regions.includes(region))
      continue;
    for (const o of observations) {
      if (
        o.stage !== 'healthy' ||
        o.region !== region ||
        o.revision !== pull.mergeSha
      )
        continue;
      const newer =
        !best ||
        o.at > best.healthyAt ||
        (o.at === best.healthyAt &&
          record.pullRequestNumber > best.record.pullRequestNumber);
      if (newer) best = { record, version: record.version, healthyAt: o.at };
    }
  }
  return best;
}
