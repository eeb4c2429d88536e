/**
 * The signals channel (`@backstage/plugin-signals`) on which the backend announces that the
 * fleet's documents changed (`/fleet`, `/compliance`, `/clusters/:name`,
 * `/clusters/:name/warm-pool`, `/models`, `/models/:name/deployments`): open fleet pages fetch
 * again, conditionally (`If-None-Match`), instead of polling.
 *
 * @public
 */
export const FLEET_SIGNAL_CHANNEL = 'omnivision:fleet';

/**
 * What a fleet-changed signal carries: which clusters' figures changed since the last signal.
 * Nothing more: signals are broadcast, and a page reads the rest through the API, with its
 * permissions. The backend sends at most one per second.
 *
 * @public
 */
export type FleetChangedSignal = {
  /** The names of the clusters whose figures changed (their health, GPUs, compliance, models). */
  clusters: string[];
  /** When the backend noticed, ISO 8601. */
  changedAt: string;
};
