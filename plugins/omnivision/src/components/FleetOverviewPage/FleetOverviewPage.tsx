import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { usePolledFleet } from '@internal/plugin-omnivision-react';
import { FleetPageContent } from '../FleetPageContent';
import { OutageBanner } from '../OutageBanner';
import { RegionCard } from '../RegionCard';

/** `/fleet`: one card per region, and a banner when a region is down. */
export function FleetOverviewPage() {
  const state = usePolledFleet();
  return (
    <FleetPageContent state={state}>
      {fleet => (
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
            Figures of {new Date(fleet.generatedAt).toLocaleTimeString()};
            updated as the fleet changes while this tab is open.
          </Typography>
        </>
      )}
    </FleetPageContent>
  );
}
