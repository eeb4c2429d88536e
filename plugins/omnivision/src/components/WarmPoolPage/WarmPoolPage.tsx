import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import {
  ClusterHealthChip,
  usePolledFleet,
} from '@internal/plugin-omnivision-react';
import { HeadroomChart } from '../HeadroomChart';
import { FleetPageContent } from '../FleetPageContent';
import { WarmPoolSummary, formatInZone } from '../WarmPoolSummary';

/** `/fleet/warm-pool`: per cluster, headroom over 24 h, placeholders, baseline, scale schedules. */
export function WarmPoolPage() {
  const state = usePolledFleet();
  return (
    <FleetPageContent state={state}>
      {fleet => (
        <Grid container spacing={2}>
          {fleet.clusters.map(cluster => (
            <Grid item xs={12} lg={6} key={cluster.name}>
              <Card
                variant="outlined"
                component="section"
                aria-label={`warm pool of ${cluster.name}`}
              >
                <CardHeader
                  title={`${cluster.region} · ${cluster.name}`}
                  action={<ClusterHealthChip health={cluster.health} />}
                />
                <CardContent>
                  <HeadroomChart
                    cluster={cluster.name}
                    target={cluster.warmPool.targetHeadroom}
                  />
                  <WarmPoolSummary warmPool={cluster.warmPool} />
                  <Table
                    size="small"
                    aria-label="scale schedules"
                    sx={{ mt: 1 }}
                  >
                    <TableHead>
                      <TableRow>
                        <TableCell>Schedule</TableCell>
                        <TableCell>Cron</TableCell>
                        <TableCell>GPU nodes</TableCell>
                        <TableCell>Next run</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {cluster.warmPool.scaleSchedules.map(s => (
                        <TableRow key={s.name}>
                          <TableCell>{s.name}</TableCell>
                          <TableCell>
                            <code>{s.schedule}</code>
                          </TableCell>
                          <TableCell>{s.targetGpuNodes ?? '—'}</TableCell>
                          <TableCell>
                            {s.suspended && 'suspended'}
                            {!s.suspended && s.nextRun
                              ? formatInZone(s.nextRun, s.timeZone)
                              : ''}
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </CardContent>
              </Card>
            </Grid>
          ))}
        </Grid>
      )}
    </FleetPageContent>
  );
}
