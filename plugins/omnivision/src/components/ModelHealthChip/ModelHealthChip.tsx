import Chip from '@mui/material/Chip';
import type { ModelHealth } from '@internal/plugin-omnivision-common';

const COLOR = {
  healthy: 'success',
  progressing: 'info',
  degraded: 'error',
  unknown: 'warning',
  'not-deployed': 'default',
} as const;

const LABEL: Record<ModelHealth, string> = {
  healthy: 'Healthy',
  progressing: 'Progressing',
  degraded: 'Degraded',
  unknown: 'Unknown (stale)',
  'not-deployed': 'Not deployed',
};

/** A model's health in a region, or across the fleet. */
export function ModelHealthChip(props: { health: ModelHealth }) {
  return (
    <Chip
      size="small"
      color={COLOR[props.health]}
      variant={props.health === 'not-deployed' ? 'outlined' : 'filled'}
      label={LABEL[props.health]}
    />
  );
}

/** The words of a health, for filters. */
export const MODEL_HEALTH_LABEL = LABEL;
