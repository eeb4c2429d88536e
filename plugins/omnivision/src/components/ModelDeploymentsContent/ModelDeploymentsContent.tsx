import { useCallback } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { Content, InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Alert from '@mui/material/Alert';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  omnivisionApiRef,
  RequestStateChip,
  usePolledValue,
  useRequestPath,
} from '@internal/plugin-omnivision-react';
import { DeploymentsTable } from '../DeploymentsTable';
import { PageState } from '../PageState';

/** The pull requests that deployed or changed the model, each with where it stands. */
function ModelPullRequests(props: { model: string }) {
  const api = useApi(omnivisionApiRef);
  const requestPath = useRequestPath();
  const state = usePolledValue(
    useCallback(
      () => api.listRequests('all', { model: props.model }),
      [api, props.model],
    ),
  );
  return (
    <InfoCard title="Pull requests">
      <PageState state={state}>
        {requests =>
          requests.length === 0 ? (
            <Typography variant="body2">
              No deployment request has changed {props.model} through the portal
              yet.
            </Typography>
          ) : (
            <Table size="small" aria-label="pull requests">
              <TableHead>
                <TableRow>
                  <TableCell>Pull request</TableCell>
                  <TableCell>Regions</TableCell>
                  <TableCell>GPU profile</TableCell>
                  <TableCell>Requested by</TableCell>
                  <TableCell>State</TableCell>
                  <TableCell>Request</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {requests.map(r => (
                  <TableRow key={r.pullRequestNumber}>
                    <TableCell>
                      <Link to={r.pullRequestUrl}>#{r.pullRequestNumber}</Link>
                    </TableCell>
                    <TableCell>{r.regions.join(', ')}</TableCell>
                    <TableCell>{r.gpuProfile}</TableCell>
                    <TableCell>{parseEntityRef(r.requester).name}</TableCell>
                    <TableCell>
                      <RequestStateChip state={r.progress.state} />
                    </TableCell>
                    <TableCell>
                      <Link to={requestPath(r.pullRequestNumber)}>
                        timeline
                      </Link>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )
        }
      </PageState>
    </InfoCard>
  );
}

/**
 * The "Deployments" tab of a model: its Rollout and Argo CD Application in each region, and the
 * pull requests that changed it.
 */
export function ModelDeploymentsContent() {
  const { entity } = useEntity();
  const model = entity.metadata.name;
  const api = useApi(omnivisionApiRef);
  const state = usePolledValue(
    useCallback(() => api.getModelDeployments(model), [api, model]),
  );
  return (
    <Content>
      <PageState state={state}>
        {value => (
          <InfoCard title={`Deployments of ${model}`}>
            {value.deployments.some(d => d.stale) && (
              <Alert severity="warning" sx={{ mb: 2 }}>
                Some regions cannot be reached: their figures are the last known
                ones.
              </Alert>
            )}
            <DeploymentsTable deployments={value.deployments} first="region" />
          </InfoCard>
        )}
      </PageState>
      <ModelPullRequests model={model} />
    </Content>
  );
}
