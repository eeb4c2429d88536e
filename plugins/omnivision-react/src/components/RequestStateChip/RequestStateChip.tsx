import Chip from '@mui/material/Chip';
import type { DeploymentRequestState } from '@internal/plugin-omnivision-common';

const LABEL: Record<
  DeploymentRequestState,
  { label: string; color: 'default' | 'info' | 'warning' | 'success' | 'error' }
> = {
  'awaiting-review': { label: 'awaiting review', color: 'info' },
  'changes-requested': { label: 'changes requested', color: 'warning' },
  approved: { label: 'approved', color: 'info' },
  merged: { label: 'merged', color: 'info' },
  synced: { label: 'synced', color: 'info' },
  healthy: { label: 'healthy', color: 'success' },
  failed: { label: 'failed', color: 'error' },
  retired: { label: 'retired', color: 'default' },
  closed: { label: 'closed', color: 'default' },
};

/**
 * Where a deployment request stands, as a chip.
 *
 * @public
 */
export function RequestStateChip(props: { state: DeploymentRequestState }) {
  const { label, color } = LABEL[props.state];
  return <Chip size="small" color={color} label={label} />;
}

/**
 * Every state, in the order a request goes through them.
 *
 * @public
 */
export const REQUEST_STATES = Object.keys(LABEL) as DeploymentRequestState[];
