import Typography from '@mui/material/Typography';
import { InfoCard } from '@backstage/core-components';
import { useDeploymentRequests } from '@internal/plugin-omnivision-react';
import { PageState } from '../PageState';
import { RequestsTable } from '../RequestsTable';

/**
 * The pull requests that deployed or changed the model, each with where it stands, kept current
 * by the backend's request signals.
 */
export function ModelPullRequests(props: { model: string }) {
  const state = useDeploymentRequests('all', { model: props.model });
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
            <RequestsTable
              requests={requests}
              label="pull requests"
              columns={[
                'pullRequest',
                'regions',
                'gpuProfile',
                'requester',
                'state',
                'timeline',
              ]}
            />
          )
        }
      </PageState>
    </InfoCard>
  );
}
