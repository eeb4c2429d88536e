import { useCallback } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { Content, InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity, useEntityOwnership } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  omnivisionRolloutControlPermission,
  readModelVersions,
} from '@internal/plugin-omnivision-common';
import {
  omnivisionApiRef,
  useDeploymentRequests,
  useFleetValue,
} from '@internal/plugin-omnivision-react';
import { DeploymentsTable } from '../DeploymentsTable';
import { ModelPullRequests } from '../ModelPullRequests';
import { PageState } from '../PageState';
import { RolloutControls } from './RolloutControls';
import { runningParameters, templateUrl } from './templateUrl';

/**
 * The "Deployments" tab of a model: its Rollout and Argo CD Application in each region (the
 * version Git wants, the stable and canary versions, the last analysis with its evidence, an
 * abort's reason, drift), and the pull requests that changed it. The model's owners get
 * Update (deploy-model prefilled with the regions it runs in and the profile, replicas and rollout
 * it last ran healthy with), Roll back and Retire (prefilled); the platform team (permission
 * `omnivision.rollout.control`) promotes, pauses, resumes or aborts a canary.
 */
export function ModelDeploymentsContent() {
  const { entity } = useEntity();
  const model = entity.metadata.name;
  const modelRef = stringifyEntityRef(entity);
  const versions = readModelVersions(
    (entity.spec?.model as { versions?: unknown } | undefined)?.versions,
  ).versions;
  const api = useApi(omnivisionApiRef);
  const { isOwnedEntity } = useEntityOwnership();
  const owner = isOwnedEntity(entity);
  const { allowed: controlsCanary } = usePermission({
    permission: omnivisionRolloutControlPermission,
  });
  // Any cluster's change may be this model's: a region it starts or stops running in.
  const state = useFleetValue(
    useCallback(() => api.getModelDeployments(model), [api, model]),
  );
  const deployedRegions = (state.value?.deployments ?? []).map(d => d.region);
  // An update starts from what runs: the profile, replicas and rollout last healthy.
  const requests = useDeploymentRequests('all', { model });
  return (
    <Content>
      <PageState state={state}>
        {value => (
          <InfoCard title={`Deployments of ${model}`}>
            {owner && (
              <Stack
                direction="row"
                spacing={1}
                sx={{ mb: 2 }}
                aria-label="model actions"
              >
                <Button
                  variant="contained"
                  component={Link}
                  // Backstage's Link colours its text as a link; a contained button's is white.
                  sx={{ '&&': { color: 'primary.contrastText' } }}
                  to={templateUrl('deploy-model', {
                    model: modelRef,
                    ...runningParameters(requests.value),
                    ...(deployedRegions.length > 0 && {
                      regions: deployedRegions,
                    }),
                  })}
                >
                  Update
                </Button>
                {deployedRegions.length > 0 && (
                  <>
                    <Button
                      variant="outlined"
                      component={Link}
                      to={templateUrl('rollback-model', {
                        model: modelRef,
                        regions: deployedRegions,
                      })}
                    >
                      Roll back
                    </Button>
                    <Button
                      variant="outlined"
                      color="error"
                      component={Link}
                      to={templateUrl('retire-model', {
                        model: modelRef,
                        regions: deployedRegions,
                      })}
                    >
                      Retire
                    </Button>
                  </>
                )}
              </Stack>
            )}
            {value.deployments.some(d => d.stale) && (
              <Alert severity="warning" sx={{ mb: 2 }}>
                Some regions cannot be reached: their figures are the last known
                ones.
              </Alert>
            )}
            <DeploymentsTable
              deployments={value.deployments}
              first="region"
              versions={versions}
              actions={
                controlsCanary
                  ? d => (
                      <RolloutControls
                        model={model}
                        region={d.region!}
                        onDone={() => void state.refresh?.()}
                      />
                    )
                  : undefined
              }
              abortAction={
                owner
                  ? d => (
                      <Button
                        size="small"
                        variant="contained"
                        color="error"
                        component={Link}
                        sx={{ '&&': { color: 'error.contrastText' } }}
                        to={templateUrl('rollback-model', {
                          model: modelRef,
                          regions: [d.region],
                        })}
                      >
                        Roll back {d.region}
                      </Button>
                    )
                  : undefined
              }
            />
          </InfoCard>
        )}
      </PageState>
      <ModelPullRequests model={model} />
    </Content>
  );
}
