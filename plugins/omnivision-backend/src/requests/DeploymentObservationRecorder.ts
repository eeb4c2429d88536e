import {
  DeploymentProgress,
  DeploymentRequestRecord,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import type { AuditTrail } from '../audit/AuditTrail';

/**
 * Writes into the audit trail, once each, the syncs and healthy canaries the portal observes in
 * a request's progress. Pages poll: what this replica knows is in the trail is remembered, so a
 * poll reads the audit trail only when a step is new to it.
 */
export class DeploymentObservationRecorder {
  readonly #audit: AuditTrail;
  /** Observations (request, action, region) known to be in the audit trail. */
  readonly #recorded = new Set<string>();

  static create(options: { audit: AuditTrail }): DeploymentObservationRecorder {
    return new DeploymentObservationRecorder(options.audit);
  }

  private constructor(audit: AuditTrail) {
    this.#audit = audit;
  }

  /** Records the region steps of a request's progress that are done and not yet in the trail. */
  async observe(
    record: DeploymentRequestRecord,
    progress: DeploymentProgress,
  ): Promise<void> {
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
      .filter(o => !this.#recorded.has(o.key));
    if (observed.length === 0) return;
    const known = await this.#audit.query({
      pullRequestNumber: record.pullRequestNumber,
    });
    for (const { step, action, key } of observed) {
      if (!known.some(e => e.action === action && e.region === step.region)) {
        await this.#audit.append({
          actor: 'omnivision-portal',
          action,
          outcome: 'succeeded',
          pullRequestNumber: record.pullRequestNumber,
          model: modelNameOf(record.model),
          region: step.region,
          reason: step.detail,
        });
      }
      this.#recorded.add(key);
    }
  }
}
