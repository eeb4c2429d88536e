import Chip from '@mui/material/Chip';
import type { ComplianceSummary } from '@internal/plugin-omnivision-common';

/**
 * The compliance score, and what fails or is unknown.
 *
 * @public
 */
export function ComplianceSummaryChip(props: {
  compliance: ComplianceSummary;
}) {
  const c = props.compliance;
  const score = `${Math.round(c.score * 100)}%`;
  let detail = 'compliant';
  if (c.failing.length > 0) detail = `failing: ${c.failing.join(', ')}`;
  else if (c.unknown.length > 0) detail = `unknown: ${c.unknown.join(', ')}`;
  return (
    <Chip
      size="small"
      variant="outlined"
      color={
        (c.failing.length > 0 && 'error') ||
        (c.unknown.length > 0 && 'warning') ||
        'success'
      }
      label={`Compliance ${score} · ${detail}`}
    />
  );
}
