import { useCallback } from 'react';
import Alert from '@mui/material/Alert';
import { Content, InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  omnivisionApiRef,
  usePolledValue,
} from '@internal/plugin-omnivision-react';
import { DeploymentsTable } from '../DeploymentsTable';
import { ModelPullRequests } from '../ModelPullRequests';
import { PageState } from '../PageState';

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
