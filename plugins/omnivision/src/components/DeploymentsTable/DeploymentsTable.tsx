import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ModelDeploymentStatus } from '@internal/plugin-omnivision-common';

function phaseColor(phase: string) {
  if (phase === 'Healthy') return 'success';
  if (phase === 'Degraded' || phase === 'Aborted') return 'error';
  return 'info';
}

/**
 * Model deployments: the Rollout's phase, canary step and weight, ready replicas, and the Argo CD
 * Application's sync and health. `first` names the first column (the model, or the region).
 */
export function DeploymentsTable(props: {
  deployments: Array<ModelDeploymentStatus & { region?: string }>;
  first: 'model' | 'region';
}) {
  if (props.deployments.length === 0)
    return <Typography variant="body2">No model deployed.</Typography>;
  return (
    <TableContainer sx={{ overflowX: 'auto' }}>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>
              {props.first === 'model' ? 'Model' : 'Region'}
            </TableCell>
            <TableCell>Rollout</TableCell>
            <TableCell>Canary</TableCell>
            <TableCell>Ready</TableCell>
            <TableCell>Argo CD</TableCell>
            <TableCell>Revision</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.deployments.map(d => (
            <TableRow
              key={`${d.cluster}/${d.model}`}
              aria-label={`deployment of ${d.model} in ${
                d.region ?? d.cluster
              }`}
            >
              <TableCell>
                {props.first === 'model'
                  ? d.model
                  : `${d.region} (${d.cluster})`}
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
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
