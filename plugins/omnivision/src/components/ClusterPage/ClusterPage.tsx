import { useCallback } from 'react';
import Box from '@mui/material/Box';
import Grid from '@mui/material/Grid';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi, useRouteRefParams } from '@backstage/frontend-plugin-api';
import type { ClusterDetail } from '@internal/plugin-omnivision-common';
import {
  ClusterHealthChip,
  ControlStatusChip,
  omnivisionApiRef,
  useFleetValue,
} from '@internal/plugin-omnivision-react';
import { clusterRouteRef } from '../../routes';
import { DeploymentsTable } from '../DeploymentsTable';
import { GpuInventory } from '../GpuInventory';
import { DetailPage } from '../DetailPage';
import { SectionCard } from '../SectionCard';
import { WarmPoolSummary } from '../WarmPoolSummary';

const counts = (resources: Record<string, number>) =>
  Object.entries(resources)
    .map(([resource, n]) =>
      resource === 'nvidia.com/gpu'
        ? `${n}`
        : `${n} × ${resource.replace('nvidia.com/mig-', 'MIG ')}`,
    )
    .join(', ') || '0';

function GpuNodesTable(props: { cluster: ClusterDetail }) {
  return (
    <TableContainer sx={{ overflowX: 'auto', maxHeight: 480 }}>
      <Table size="small" stickyHeader aria-label="GPU nodes">
        <TableHead>
          <TableRow>
            <TableCell>Node</TableCell>
            <TableCell>Product</TableCell>
            <TableCell>GPUs</TableCell>
            <TableCell>Allocated</TableCell>
            <TableCell>Placeholders</TableCell>
            <TableCell>Conditions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.cluster.gpuNodes.map(node => (
            <TableRow key={node.name}>
              <TableCell>{node.name}</TableCell>
              <TableCell>{node.product.replace(/^NVIDIA-/, '')}</TableCell>
              <TableCell>{counts(node.allocatable)}</TableCell>
              <TableCell>{counts(node.requested)}</TableCell>
              <TableCell>
                {node.placeholderPods} ({node.placeholderGpus} GPUs)
              </TableCell>
              <TableCell>
                {[
                  node.ready ? 'Ready' : 'NotReady',
                  ...(node.cordoned ? ['cordoned'] : []),
                  ...node.problems.filter(p => !p.startsWith('Ready=')),
                ].join(', ')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** `/fleet/clusters/:name`: one cluster's GPU nodes, pending pods, warm pool, compliance, models. */
export function ClusterPage() {
  const { name } = useRouteRefParams(clusterRouteRef);
  const api = useApi(omnivisionApiRef);
  // Fetched again when a signal names this cluster.
  const state = useFleetValue(
    useCallback(() => api.getCluster(name), [api, name]),
    { cluster: name },
  );
  return (
    <DetailPage
      title={`Cluster ${name}`}
      subtitle="GPU nodes, warm pool and compliance"
      state={state}
    >
      {cluster => (
        <>
          <Grid item xs={12}>
            <Box
              sx={{
                display: 'flex',
                gap: 2,
                alignItems: 'center',
                flexWrap: 'wrap',
              }}
            >
              <ClusterHealthChip health={cluster.health} />
              <Typography variant="body2">
                {cluster.region} · {cluster.cloud.toUpperCase()} · Kubernetes{' '}
                {cluster.health.kubernetesVersion ?? 'unknown'} · round trip{' '}
                {cluster.health.roundTripMs ?? '—'} ms ·{' '}
                {cluster.gpu.nodesReady} / {cluster.gpu.nodesTotal} nodes ready
              </Typography>
            </Box>
          </Grid>
          <Grid item xs={12} md={6}>
            <SectionCard title="GPUs">
              <GpuInventory gpus={cluster.gpu.gpus} />
            </SectionCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <SectionCard title="Warm pool">
              <WarmPoolSummary warmPool={cluster.warmPool} />
            </SectionCard>
          </Grid>
          <Grid item xs={12}>
            <SectionCard title={`GPU nodes (${cluster.gpuNodes.length})`}>
              <GpuNodesTable cluster={cluster} />
            </SectionCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <SectionCard
              title={`Pending GPU pods (${cluster.pendingGpuPods.length})`}
            >
              {cluster.pendingGpuPods.length === 0 ? (
                <Typography variant="body2">
                  None: every GPU pod has a node.
                </Typography>
              ) : (
                <List dense>
                  {cluster.pendingGpuPods.map(p => (
                    <ListItem key={`${p.namespace}/${p.name}`}>
                      <ListItemText
                        primary={`${p.namespace}/${p.name}${
                          p.placeholder ? ' (placeholder)' : ''
                        }`}
                        secondary={`${counts(p.gpuRequests)} GPUs${
                          p.createdAt
                            ? ` · since ${new Date(
                                p.createdAt,
                              ).toLocaleTimeString()}`
                            : ''
                        }`}
                      />
                    </ListItem>
                  ))}
                </List>
              )}
            </SectionCard>
          </Grid>
          <Grid item xs={12} md={6}>
            <SectionCard title="Compliance">
              <List dense>
                {cluster.complianceControls.map(control => (
                  <ListItem
                    key={control.id}
                    sx={{ alignItems: 'flex-start', gap: 1 }}
                  >
                    <ControlStatusChip status={control.status} />
                    <ListItemText
                      primary={control.title}
                      secondary={control.evidence.join('; ')}
                    />
                  </ListItem>
                ))}
              </List>
            </SectionCard>
          </Grid>
          <Grid item xs={12}>
            <SectionCard title="Model deployments">
              <DeploymentsTable
                deployments={cluster.deployments}
                first="model"
              />
            </SectionCard>
          </Grid>
        </>
      )}
    </DetailPage>
  );
}
