import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import type { ClusterOverview } from '@internal/plugin-omnivision-common';
import { clusterRouteRef } from '../../routes';
import {
  ClusterHealthChip,
  ComplianceSummaryChip,
} from '@internal/plugin-omnivision-react';
import { GpuInventory } from '../GpuInventory';
import { WarmPoolSummary } from '../WarmPoolSummary';

/** One region of the fleet: its cluster's health, nodes, GPUs, warm pool and compliance. */
export function RegionCard(props: { cluster: ClusterOverview }) {
  const { cluster } = props;
  const clusterLink = useRouteRef(clusterRouteRef);
  return (
    <Card
      component="section"
      aria-label={`region ${cluster.region}`}
      variant="outlined"
      sx={{ height: '100%' }}
    >
      <CardHeader
        title={`${cluster.region} · ${cluster.cloud.toUpperCase()}`}
        subheader={
          <Link to={clusterLink?.({ name: cluster.name }) ?? '#'}>
            {cluster.name}
          </Link>
        }
        action={<ClusterHealthChip health={cluster.health} />}
      />
      <CardContent>
        <Stack spacing={2} divider={<Divider flexItem />}>
          <Typography variant="body2" aria-label="nodes ready">
            {cluster.gpu.nodesReady} / {cluster.gpu.nodesTotal} nodes ready ·{' '}
            {cluster.gpu.gpuNodes} GPU nodes · {cluster.gpu.pendingGpuPods}{' '}
            pending GPU pods
          </Typography>
          <GpuInventory gpus={cluster.gpu.gpus} />
          <WarmPoolSummary warmPool={cluster.warmPool} />
          <Stack direction="row" spacing={1} alignItems="center">
            <ComplianceSummaryChip compliance={cluster.compliance} />
            <Typography variant="body2">
              {cluster.modelsRunning}{' '}
              {cluster.modelsRunning === 1 ? 'model' : 'models'} running
            </Typography>
          </Stack>
        </Stack>
      </CardContent>
    </Card>
  );
}
