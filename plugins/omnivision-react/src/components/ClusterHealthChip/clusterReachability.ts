import type { ClusterHealth } from '@internal/plugin-omnivision-common';

/**
 * Whether a cluster's figures can be trusted: `reachable`, `stale` (reachable, but the figures
 * are old) or `down`.
 *
 * @public
 */
export type ClusterReachability = 'reachable' | 'stale' | 'down';

/**
 * A cluster's health as one of {@link ClusterReachability}; the health chip and the deploy
 * form's region picker read it the same way.
 *
 * @public
 */
export function clusterReachability(
  health: ClusterHealth,
): ClusterReachability {
  if (!health.reachable) return 'down';
  return health.stale ? 'stale' : 'reachable';
}

/**
 * The colour of each {@link ClusterReachability}.
 *
 * @public
 */
export const REACHABILITY_COLOR: Record<
  ClusterReachability,
  'success' | 'warning' | 'error'
> = { reachable: 'success', stale: 'warning', down: 'error' };
