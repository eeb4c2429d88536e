import { useEffect, useState } from 'react';
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
 * How old a cluster's figures are at `now`: the seconds since its API server last answered
 * (`lastContact`); `dataAgeSeconds`, their age when the backend built the document, only where
 * the last contact is not given.
 */
export function secondsSinceContact(
  health: ClusterHealth,
  now: number = Date.now(),
): number | undefined {
  const lastContact = health.lastContact && Date.parse(health.lastContact);
  if (!lastContact) return health.dataAgeSeconds;
  return Math.max(0, Math.round((now - lastContact) / 1000));
}

/** Renders again every second while `ticking`: an age on screen keeps growing. */
function useEverySecond(ticking: boolean): void {
  const [, setTicks] = useState(0);
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setTicks(n => n + 1), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
}

/**
 * Reachable, stale or down, with the age of the figures (counted from the last contact, so it
 * grows while the page shows the same document) and, on hover, why.
 *
 * @public
 */
export function ClusterHealthChip(props: { health: ClusterHealth }) {
  const { health } = props;
  const reachability = clusterReachability(health);
  useEverySecond(reachability !== 'reachable');
  const label =
    reachability === 'reachable'
      ? 'Reachable'
      : `${reachability === 'down' ? 'Down' : 'Stale'} · data ${formatAge(
          secondsSinceContact(health),
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
