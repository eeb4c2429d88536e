import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { githubAuthApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { DeploymentRequestDetail } from '@internal/plugin-omnivision-common';
import {
  errorReason as reasonOf,
  omnivisionApiRef,
} from '@internal/plugin-omnivision-react';

/** Approve, request changes, merge: as the signed-in person on GitHub, with their own token. */
export function ReviewActions(props: {
  request: DeploymentRequestDetail;
  onDone: () => void;
}) {
  const api = useApi(omnivisionApiRef);
  const githubAuth = useApi(githubAuthApiRef);
  const { request } = props;
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{
    severity: 'success' | 'error';
    message: string;
  }>();
  const open = ['awaiting-review', 'changes-requested', 'approved'].includes(
    request.progress.state,
  );

  const act = async (
    what: string,
    call: (token: string) => Promise<unknown>,
  ) => {
    setBusy(true);
    setOutcome(undefined);
    try {
      // The sign-in's own token: the auth backend asks GitHub for repo at sign-in.
      const token = await githubAuth.getAccessToken();
      await call(token);
      setOutcome({ severity: 'success', message: what });
      setComment('');
      props.onDone();
    } catch (error) {
      setOutcome({ severity: 'error', message: reasonOf(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack spacing={2}>
      {open && (
        <Typography variant="body2">
          GitHub says:{' '}
          {request.mergeable === false ? 'not mergeable' : 'mergeable'}
          {request.mergeableState ? ` (${request.mergeableState})` : ''}. The
          review and the merge are made as you on GitHub; its branch protection
          decides.
        </Typography>
      )}
      {outcome && (
        <Alert severity={outcome.severity} role="status">
          {outcome.message}
        </Alert>
      )}
      {open && (
        <>
          <TextField
            label="Comment"
            multiline
            minRows={2}
            value={comment}
            onChange={e => setComment(e.target.value)}
            helperText="Required to request changes; optional for an approval."
          />
          <Stack direction="row" spacing={1}>
            <Button
              variant="contained"
              disabled={busy}
              onClick={() =>
                act('Approved.', token =>
                  api.reviewRequest(
                    request.pullRequestNumber,
                    { event: 'APPROVE', body: comment || undefined },
                    token,
                  ),
                )
              }
            >
              Approve
            </Button>
            <Button
              variant="outlined"
              disabled={busy}
              onClick={() =>
                act('Changes requested.', token =>
                  api.reviewRequest(
                    request.pullRequestNumber,
                    { event: 'REQUEST_CHANGES', body: comment },
                    token,
                  ),
                )
              }
            >
              Request changes
            </Button>
            <Button
              variant="contained"
              color="secondary"
              disabled={busy}
              onClick={() =>
                act('Merged.', token =>
                  api.mergeRequest(request.pullRequestNumber, token),
                )
              }
            >
              Merge
            </Button>
          </Stack>
        </>
      )}
    </Stack>
  );
}
