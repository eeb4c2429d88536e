import { useCallback } from 'react';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { Content, EmptyState } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  omnivisionApiRef,
  usePolledValue,
} from '@internal/plugin-omnivision-react';
import { OutageBanner } from '../OutageBanner';
import { PageState } from '../PageState';
import { RegionCard } from '../RegionCard';

/** `/fleet`: one card per region, and a banner when a region is down. */
export function FleetOverviewPage() {
  const api = useApi(omnivisionApiRef);
  const state = usePolledValue(useCallback(() => api.getFleet(), [api]));
  return (
    <Content>
      <PageState state={state}>
        {fleet =>
          fleet.clusters.length === 0 ? (
            <EmptyState
              missing="data"
              title="No regions configured"
              description="Add a region under omnivision.regions in app-config.yaml, with its cluster under kubernetes.clusterLocatorMethods."
            />
          ) : (
            <>
              <OutageBanner clusters={fleet.clusters} />
              <Grid container spacing={2}>
                {fleet.clusters.map(cluster => (
                  <Grid item xs={12} md={6} xl={4} key={cluster.name}>
                    <RegionCard cluster={cluster} />
                  </Grid>
                ))}
              </Grid>
              <Typography
                variant="caption"
                color="text.secondary"
                sx={{ display: 'block', mt: 2 }}
              >
                Updated {new Date(fleet.generatedAt).toLocaleTimeString()};
                refreshes every 10 s while this tab is open.
              </Typography>
            </>
          )
        }
      </PageState>
    </Content>
  );
}
