import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Typography from '@mui/material/Typography';
import {
  APPROVAL_STATUS_CONTEXT,
  type ApprovalVerdict,
} from '@internal/plugin-omnivision-common';

function titleOf(approval: ApprovalVerdict): string {
  if (approval.state === 'success') return 'Approved';
  if (approval.changesRequestedBy.length > 0) return 'Changes requested';
  return 'Not approved yet';
}

/**
 * The approval gate's verdict on a request's head, as the portal posts it in the
 * `omnivision/approval` status that main's branch protection requires: who approved which
 * commit, or what is still missing (a code owner other than the requester, on this head).
 */
export function ApprovalGate(props: { approval: ApprovalVerdict }) {
  const { approval } = props;
  let severity: 'success' | 'warning' | 'info' = 'info';
  if (approval.state === 'success') severity = 'success';
  else if (approval.changesRequestedBy.length > 0) severity = 'warning';
  return (
    <Alert severity={severity} role="region" aria-label="Approval gate">
      <AlertTitle>{titleOf(approval)}</AlertTitle>
      <Typography variant="body2">{approval.description}</Typography>
      <Typography variant="caption">
        {APPROVAL_STATUS_CONTEXT}{' '}
        {approval.state === 'success' ? 'passes' : 'is pending'} on{' '}
        <code>{approval.sha.slice(0, 7)}</code>
        {approval.state === 'success'
          ? '.'
          : ": main's branch protection holds the merge until it passes."}
      </Typography>
    </Alert>
  );
}
