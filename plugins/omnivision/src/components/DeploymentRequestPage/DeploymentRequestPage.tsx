import { useCallback, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { Link } from '@backstage/core-components';
import {
  githubAuthApiRef,
  useApi,
  useRouteRefParams,
} from '@backstage/frontend-plugin-api';
import {
  DeploymentRequestDetail,
  describePolicyResult,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import {
  omnivisionApiRef,
  RequestStateChip,
  UnifiedDiff,
  usePolledValue,
} from '@internal/plugin-omnivision-react';
import { requestRouteRef } from '../../routes';
import { DetailPage } from '../DetailPage';
import { RequestTimeline } from '../RequestTimeline';
import { SectionCard } from '../SectionCard';

/** The reason the backend gave, or the error's own message. */
function reasonOf(error: unknown): string {
  const body = (error as { body?: { error?: { message?: string } } }).body;
  return body?.error?.message ?? (error as Error).message;
}

/** Approve, request changes, merge: as the signed-in person on GitHub, with their own token. */
function ReviewActions(props: {
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
      <Typography variant="body2">
        GitHub says:{' '}
        {request.mergeable === false ? 'not mergeable' : 'mergeable'}
        {request.mergeableState ? ` (${request.mergeableState})` : ''}. The
        review and the merge are made as you on GitHub; its branch protection
        decides.
      </Typography>
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

/**
 * `/deployments/:number`: one deployment request: its timeline to a healthy canary per region,
 * the review actions, reviewers and reviews, checks, policy results and the diff.
 */
export function DeploymentRequestPage() {
  const { number } = useRouteRefParams(requestRouteRef);
  const api = useApi(omnivisionApiRef);
  const state = usePolledValue(
    useCallback(() => api.getRequest(Number(number)), [api, number]),
  );
  return (
    <DetailPage
      title={`Deployment request #${number}`}
      subtitle={state.value?.title}
      state={state}
    >
      {request => (
        <>
          <Grid item xs={12}>
            <Stack direction="row" spacing={2} alignItems="center">
              <RequestStateChip state={request.progress.state} />
              <Typography variant="body2">
                {modelNameOf(request.model)} on {request.gpuProfile} in{' '}
                {request.regions.join(', ')}, {request.minReplicas} to{' '}
                {request.maxReplicas} replicas, {request.rollout} · requested by{' '}
                {request.requester} ·{' '}
                <Link to={request.pullRequestUrl}>
                  pull request #{request.pullRequestNumber}
                </Link>
              </Typography>
            </Stack>
          </Grid>
          <Grid item xs={12} md={5}>
            <SectionCard title="Timeline">
              <RequestTimeline steps={request.progress.timeline} />
            </SectionCard>
          </Grid>
          <Grid item xs={12} md={7}>
            <Stack spacing={2}>
              <SectionCard title="Review">
                <ReviewActions
                  request={request}
                  onDone={() => state.refresh?.()}
                />
              </SectionCard>
              <SectionCard title="Reviewers and reviews">
                <List dense>
                  {request.requestedReviewers.map(r => (
                    <ListItem key={r}>
                      <ListItemText primary={r} secondary="review requested" />
                    </ListItem>
                  ))}
                  {request.reviews.map(r => (
                    <ListItem key={`${r.user}:${r.submittedAt}`}>
                      <ListItemText
                        primary={`${r.user}: ${r.state
                          .toLowerCase()
                          .replace('_', ' ')}`}
                        secondary={[
                          r.body,
                          new Date(r.submittedAt).toLocaleString(),
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      />
                    </ListItem>
                  ))}
                  {request.requestedReviewers.length +
                    request.reviews.length ===
                    0 && (
                    <ListItem>
                      <ListItemText primary="No reviewers yet" />
                    </ListItem>
                  )}
                </List>
              </SectionCard>
              <SectionCard title="Checks and policy">
                <List dense>
                  {request.checks.map(c => (
                    <ListItem key={c.context}>
                      <ListItemText
                        primary={`${c.context}: ${c.state}`}
                        secondary={c.description}
                      />
                    </ListItem>
                  ))}
                  {request.policyResults.map(p => (
                    <ListItem key={`${p.rule}:${p.message}`}>
                      <ListItemText
                        primary={describePolicyResult(p)}
                        secondary={p.passed ? 'passed' : 'failed'}
                      />
                    </ListItem>
                  ))}
                </List>
                <Typography variant="caption" color="text.secondary">
                  Files {request.filesDigest}
                </Typography>
              </SectionCard>
            </Stack>
          </Grid>
          <Grid item xs={12}>
            <SectionCard title="Changes">
              <Stack spacing={2}>
                {request.files.map(f => (
                  <Box key={f.path}>
                    <Typography variant="subtitle2">
                      <code>{f.path}</code> ({f.status})
                    </Typography>
                    <UnifiedDiff diff={f.patch} />
                  </Box>
                ))}
              </Stack>
            </SectionCard>
          </Grid>
        </>
      )}
    </DetailPage>
  );
}
