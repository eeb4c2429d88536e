import { useCallback } from 'react';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link } from '@backstage/core-components';
import { useApi, useRouteRefParams } from '@backstage/frontend-plugin-api';
import {
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
import { ReviewActions } from '../ReviewActions';
import { RequestTimeline } from '../RequestTimeline';
import { SectionCard } from '../SectionCard';

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
