import { Fragment, ReactNode } from 'react';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  CanaryAnalysisEvidence,
  ModelDeploymentStatus,
  ModelVersion,
  isFailedAnalysisPhase,
  modelImageVersion,
} from '@internal/plugin-omnivision-common';
import { ImageVersion } from '../ImageVersion';

function phaseColor(phase: string) {
  if (phase === 'Healthy') return 'success';
  if (phase === 'Degraded' || phase === 'Aborted') return 'error';
  return 'info';
}

function analysisColor(phase: string) {
  if (phase === 'Successful') return 'success';
  if (isFailedAnalysisPhase(phase)) return 'error';
  return 'default';
}

/** The last analysis of a canary and its evidence: the query, the value, the condition. */
function AnalysisEvidence(props: { analysis: CanaryAnalysisEvidence }) {
  const { analysis } = props;
  return (
    <Stack spacing={0.5} aria-label="last analysis">
      <Stack direction="row" spacing={1} alignItems="center">
        <Typography variant="body2">
          Analysis {analysis.template ?? analysis.run} · {analysis.metric}
        </Typography>
        <Chip
          size="small"
          color={analysisColor(analysis.phase)}
          label={analysis.phase}
        />
        {analysis.at && (
          <Typography variant="caption" color="text.secondary">
            {new Date(analysis.at).toLocaleString()}
          </Typography>
        )}
      </Stack>
      {analysis.query && (
        <Typography variant="caption">
          query <code>{analysis.query}</code>
        </Typography>
      )}
      {(analysis.value !== undefined || analysis.condition) && (
        <Typography variant="caption">
          value <code>{analysis.value ?? '—'}</code>
          {analysis.condition && (
            <>
              {' '}
              · condition <code>{analysis.condition}</code>
            </>
          )}
        </Typography>
      )}
      {analysis.message && (
        <Typography variant="caption" color="text.secondary">
          {analysis.message}
        </Typography>
      )}
    </Stack>
  );
}

/** The details of a deployment under its row: the analysis, an abort's reason, drift. */
function DeploymentDetails(props: {
  deployment: ModelDeploymentStatus;
  abortAction?: ReactNode;
}) {
  const { deployment: d } = props;
  return (
    <Stack spacing={1}>
      {d.abortReason && (
        <Stack direction="row" spacing={2} alignItems="center">
          <Typography variant="body2" color="error" role="alert">
            Canary aborted: {d.abortReason}
          </Typography>
          {props.abortAction}
        </Stack>
      )}
      {d.analysis && <AnalysisEvidence analysis={d.analysis} />}
      {d.drift && (
        <Typography variant="body2" color="warning.main">
          Drift: {d.drift}
        </Typography>
      )}
    </Stack>
  );
}

/**
 * Model deployments: the version Git wants and the versions running (stable and canary, digests
 * mapped to the model's `versions` when given), the Rollout's phase, canary step and weight,
 * ready replicas, and the Argo CD Application's sync and health; under a row, the last analysis
 * with its evidence, an aborted canary's reason and drift. `first` names the first column (the
 * model, or the region); `actions` adds a column of actions per deployment and `abortAction` an
 * action beside an abort's reason.
 */
export function DeploymentsTable(props: {
  deployments: Array<ModelDeploymentStatus & { region?: string }>;
  first: 'model' | 'region';
  versions?: ModelVersion[];
  actions?: (
    deployment: ModelDeploymentStatus & { region?: string },
  ) => ReactNode;
  abortAction?: (
    deployment: ModelDeploymentStatus & { region?: string },
  ) => ReactNode;
}) {
  if (props.deployments.length === 0)
    return <Typography variant="body2">No model deployed.</Typography>;
  const columns = props.actions ? 10 : 9;
  const image = (ref?: string) => modelImageVersion(ref, props.versions);
  return (
    <TableContainer sx={{ overflowX: 'auto' }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>
              {props.first === 'model' ? 'Model' : 'Region'}
            </TableCell>
            <TableCell>Git wants</TableCell>
            <TableCell>Stable</TableCell>
            <TableCell>Canary image</TableCell>
            <TableCell>Rollout</TableCell>
            <TableCell>Canary</TableCell>
            <TableCell>Ready</TableCell>
            <TableCell>Argo CD</TableCell>
            <TableCell>Revision</TableCell>
            {props.actions && <TableCell>Actions</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {props.deployments.map(d => {
            const where = d.region ?? d.cluster;
            const detailed = !!(d.analysis || d.abortReason || d.drift);
            return (
              <Fragment key={`${d.cluster}/${d.model}`}>
                <TableRow aria-label={`deployment of ${d.model} in ${where}`}>
                  <TableCell>
                    {props.first === 'model'
                      ? d.model
                      : `${d.region} (${d.cluster})`}
                  </TableCell>
                  <TableCell aria-label="git wants">
                    <ImageVersion image={image(d.wantedImage)} />
                  </TableCell>
                  <TableCell aria-label="stable">
                    <ImageVersion image={image(d.stableImage)} />
                  </TableCell>
                  <TableCell aria-label="canary image">
                    <ImageVersion image={image(d.canaryImage)} />
                  </TableCell>
                  <TableCell>
                    <Chip
                      size="small"
                      color={phaseColor(d.rolloutPhase)}
                      label={d.rolloutPhase}
                    />
                  </TableCell>
                  <TableCell sx={{ minWidth: 140 }}>
                    step {d.canaryStep} of {d.canarySteps} · {d.canaryWeight}%
                    <LinearProgress
                      variant="determinate"
                      value={d.canaryWeight}
                      aria-label={`canary weight ${d.canaryWeight}%`}
                    />
                  </TableCell>
                  <TableCell>
                    {d.readyReplicas} / {d.replicas}
                  </TableCell>
                  <TableCell>
                    {d.syncStatus} · {d.healthStatus}
                  </TableCell>
                  <TableCell>
                    <code>{d.revision?.slice(0, 7) ?? '—'}</code>
                  </TableCell>
                  {props.actions && <TableCell>{props.actions(d)}</TableCell>}
                </TableRow>
                {detailed && (
                  <TableRow aria-label={`details of ${d.model} in ${where}`}>
                    <TableCell />
                    <TableCell colSpan={columns - 1}>
                      <DeploymentDetails
                        deployment={d}
                        abortAction={props.abortAction?.(d)}
                      />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
