import Chip from '@mui/material/Chip';
import type { ControlStatus } from '@internal/plugin-omnivision-common';

const COLORS: Record<ControlStatus, 'success' | 'error' | 'warning' | 'info'> =
  {
    pass: 'success',
    fail: 'error',
    unknown: 'warning',
    declared: 'info',
  };

/**
 * pass, fail, unknown or declared, in the control's colour; `onClick` makes it a button named
 * `label`.
 *
 * @public
 */
export function ControlStatusChip(props: {
  status: ControlStatus;
  onClick?: () => void;
  label?: string;
}) {
  return (
    <Chip
      size="small"
      color={COLORS[props.status]}
      variant={props.status === 'pass' ? 'outlined' : 'filled'}
      label={props.status}
      onClick={props.onClick}
      aria-label={props.label}
    />
  );
}
