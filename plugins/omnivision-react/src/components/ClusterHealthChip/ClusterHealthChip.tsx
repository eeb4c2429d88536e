import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import type { ClusterHealth } from '@internal/plugin-omnivision-common';
import { REACHABILITY_COLOR, clusterReachability } from './clusterReachability';

/**
 * "12 s", "4 min", "2 h": how old the figures are.
 *
 * @public
 */
export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined) return 'never';
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * Reachable, stale or down, with the age of the figures and, on hover, why.
 *
 * @public
 */
export function ClusterHealthChip(props: { health: ClusterHealth }) {
  const { health } = props;
  const reachability = clusterReachability(health);
  const label =
    reachability === 'reachable'
      ? 'Reachable'
      : `${reachability === 'down' ? 'Down' : 'Stale'} · data ${formatAge(
          health.dataAgeSeconds,
        )} old`;
  const why =
    health.error ?? health.resourceErrors.map(e => e.error).join('; ');
  return (
    <Tooltip title={why || `Kubernetes ${health.kubernetesVersion ?? ''}`}>
      <Chip
        size="small"
        color={REACHABILITY_COLOR[reachability]}
        label={label}
        aria-label={`cluster ${label.toLowerCase()}`}
      />
    </Tooltip>
  );
}
