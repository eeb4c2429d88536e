import type { ClusterOverview } from './FleetStatus';

/** Which regions can take work, as the fleet overview's banner says it. @public */
export interface RegionalAvailability {
  /** Regions whose cluster answers and whose figures are current. */
  serving: Array<{ region: string; cluster: string; freeGpus: number }>;
  /** Regions whose cluster cannot be reached. */
  down: Array<{ region: string; cluster: string; since?: string }>;
  /** Regions that answer but whose figures are not current (a cache is failing). */
  degraded: Array<{ region: string; cluster: string }>;
  /** One sentence for people: what the outage means for users and deployments; absent when all is well. */
  message?: string;
}

function freeWholeGpus(cluster: ClusterOverview): number {
  return cluster.gpu.gpus
    .filter(g => g.resource === 'nvidia.com/gpu')
    .reduce((sum, g) => sum + g.free, 0);
}

function list(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Sorts the regions into serving, down and degraded, and says what it means: each region's
 * cluster serves its own users with its own data (seed 000), so a region that is down stops only
 * its own users and deployments while the others go on.
 *
 * @public
 */
export function describeRegionalAvailability(
  clusters: ClusterOverview[],
): RegionalAvailability {
  const serving = clusters
    .filter(c => c.health.reachable && !c.health.stale)
    .map(c => ({
      region: c.region,
      cluster: c.name,
      freeGpus: freeWholeGpus(c),
    }));
  const down = clusters
    .filter(c => !c.health.reachable)
    .map(c => ({
      region: c.region,
      cluster: c.name,
      since: c.health.lastContact,
    }));
  const degraded = clusters
    .filter(c => c.health.reachable && c.health.stale)
    .map(c => ({ region: c.region, cluster: c.name }));
  if (down.length === 0) {
    return {
      serving,
      down,
      degraded,
      message:
        degraded.length > 0
          ? `${list(degraded.map(d => d.region))} answer${
              degraded.length === 1 ? 's' : ''
            } but some figures are not current.`
          : undefined,
    };
  }
  const downRegions = list(down.map(d => d.region));
  const message =
    serving.length === 0
      ? `No region can be reached: ${downRegions}. New deployments wait until a region is back.`
      : `${downRegions} cannot be reached. ${list(
          serving.map(s => `${s.region} (${s.freeGpus} free GPUs)`),
        )} still serve${
          serving.length === 1 ? 's' : ''
        } its users and can take deployments; users of ${downRegions} are affected until it is back.`;
  return { serving, down, degraded, message };
}
