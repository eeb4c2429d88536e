import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link } from '@backstage/core-components';
import { useRouteRefParams } from '@backstage/frontend-plugin-api';
import {
  APPROVAL_STATUS_CONTEXT,
  describePolicyResult,
  modelNameOf,
  type DeploymentRequestDetail,
  type PullRequestReview,
} from '@internal/plugin-omnivision-common';
import {
  RequestStateChip,
  UnifiedDiff,
  useDeploymentRequest,
} from '@internal/plugin-omnivision-react';
import { requestRouteRef } from '../../routes';
import { ApprovalGate } from '../ApprovalGate';
import { DetailPage } from '../DetailPage';
import { ReviewActions } from '../ReviewActions';
import { RequestTimeline } from '../RequestTimeline';
import { SectionCard } from '../SectionCard';

/** What a review reads as: its verdict, and the commit it was given on when not the head. */
function describeReview(review: PullRequestReview, headSha?: string) {
  const verdict = `${review.user}: ${review.state
    .toLowerCase()
    .replace('_', ' ')}`;
  const onEarlierCommit =
    headSha && review.commitId && review.commitId !== headSha
      ? `on ${review.commitId.slice(0, 7)}, an earlier commit`
      : undefined;
  return {
    primary: verdict,
    secondary: [
      review.body,
      onEarlierCommit,
      new Date(review.submittedAt).toLocaleString(),
    ]
      .filter(Boolean)
      .join(' · '),
  };
}

/** The head's statuses but the gate's, which the Review card shows when the request carries it. */
function otherChecks(request: DeploymentRequestDetail) {
  return request.approval
    ? request.checks.filter(c => c.context !== APPROVAL_STATUS_CONTEXT)
    : request.checks;
}

/**
 * `/deployments/:number`: one deployment request: its timeline to a healthy canary per region,
 * the approval gate's verdict and the review actions, reviewers and reviews, checks, policy
 * results and the diff. Live: the page fetches the request again whenever the backend signals
 * that it changed (a review, the merge, a region's progress), without a reload.
 */
export function DeploymentRequestPage() {
  const { number } = useRouteRefParams(requestRouteRef);
  const state = useDeploymentRequest(Number(number));
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
                <Stack spacing={2}>
                  {request.approval && (
                    <ApprovalGate approval={request.approval} />
                  )}
                  <ReviewActions
                    request={request}
                    onDone={() => state.refresh?.()}
                  />
                </Stack>
              </SectionCard>
              <SectionCard title="Reviewers and reviews">
                <List dense>
                  {request.requestedReviewers.map(r => (
                    <ListItem key={r}>
                      <ListItemText primary={r} secondary="review requested" />
                    </ListItem>
                  ))}
                  {request.reviews.map(r => (
                    <ListItem key={r.id}>
                      <ListItemText {...describeReview(r, request.headSha)} />
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
                  {otherChecks(request).map(c => (
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
