import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import {
  ClusterOverview,
  describeRegionalAvailability,
} from '@internal/plugin-omnivision-common';

/** Says which regions are down, which still serve, and what that means; nothing when all is well. */
export function OutageBanner(props: { clusters: ClusterOverview[] }) {
  const availability = describeRegionalAvailability(props.clusters);
  if (!availability.message) return null;
  const down = availability.down.length > 0;
  return (
    <Alert severity={down ? 'error' : 'warning'} sx={{ mb: 2 }} role="alert">
      <AlertTitle>
        {down
          ? `Region down: ${availability.down.map(d => d.region).join(', ')}`
          : 'Figures not current'}
      </AlertTitle>
      {availability.message}
    </Alert>
  );
}
