import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { GpuInventory as GpuInventoryItem } from '@internal/plugin-omnivision-common';

function resourceLabel(item: GpuInventoryItem): string {
  const product = item.product.replace(/^NVIDIA-/, '');
  return item.resource === 'nvidia.com/gpu'
    ? product
    : `${product} MIG ${item.resource.replace('nvidia.com/mig-', '')}`;
}

/** GPUs by product (MIG slices apart): allocated against allocatable, and what is free. */
export function GpuInventory(props: { gpus: GpuInventoryItem[] }) {
  if (props.gpus.length === 0)
    return <Typography variant="body2">No GPUs</Typography>;
  return (
    <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }}>
      {props.gpus.map(item => {
        const label = resourceLabel(item);
        const allocated = item.allocatable - item.free;
        return (
          <Box
            component="li"
            key={`${item.product}|${item.resource}`}
            sx={{ mb: 1 }}
            aria-label={`${label}: ${item.requested} of ${item.allocatable} requested, ${item.free} free`}
          >
            <Box sx={{ display: 'flex', justifyContent: 'space-between' }}>
              <Typography variant="body2">{label}</Typography>
              <Typography variant="body2" color="text.secondary">
                {item.requested} / {item.allocatable} used · {item.free} free
              </Typography>
            </Box>
            <LinearProgress
              variant="determinate"
              value={
                item.allocatable > 0 ? (100 * allocated) / item.allocatable : 0
              }
            />
          </Box>
        );
      })}
    </Box>
  );
}
