import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { WarmPoolStatus } from '@internal/plugin-omnivision-common';

export const percent = (share: number) => `${Math.round(share * 100)}%`;

/** A scheduled run as the CronJob's own time zone has it (08:00 in Brussels reads 08:00). */
export function formatInZone(iso: string, timeZone: string): string {
  return `${new Date(iso).toLocaleString('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })} (${timeZone})`;
}

/** The warm pool in brief: headroom against its target, baseline GPU nodes, the next scale-up. */
export function WarmPoolSummary(props: { warmPool: WarmPoolStatus }) {
  const w = props.warmPool;
  const nextScaleUp = w.scaleSchedules
    .filter(s => s.nextRun && !s.suspended)
    .sort((a, b) => (a.nextRun ?? '').localeCompare(b.nextRun ?? ''))
    .find(s => (s.targetGpuNodes ?? 0) > w.baselineGpuNodes);
  return (
    <Box>
      <Box sx={{ display: 'flex', justifyContent: 'space-between' }}>
        <Typography variant="body2">
          Headroom {percent(w.headroom)} (target {percent(w.targetHeadroom)})
        </Typography>
        <Typography
          variant="body2"
          color={w.meetsHeadroomTarget ? 'success.main' : 'error.main'}
        >
          {w.meetsHeadroomTarget ? 'on target' : 'below target'}
        </Typography>
      </Box>
      <LinearProgress
        variant="determinate"
        color={w.meetsHeadroomTarget ? 'success' : 'error'}
        value={Math.min(100, (100 * w.headroom) / (w.targetHeadroom || 1))}
        aria-label={`warm pool headroom ${percent(w.headroom)}`}
      />
      <Typography variant="body2" sx={{ mt: 1 }}>
        {w.placeholderGpus} of {w.allocatableGpus} GPUs held by{' '}
        {w.placeholdersRunning} placeholders
        {w.placeholdersPending > 0 &&
          ` · ${w.placeholdersPending} pending (buffer exhausted)`}
      </Typography>
      <Typography
        variant="body2"
        color={w.meetsBaseline ? 'text.primary' : 'error.main'}
      >
        {w.readyGpuNodes} ready GPU nodes (baseline {w.baselineGpuNodes})
      </Typography>
      {nextScaleUp?.nextRun && (
        <Typography variant="body2" color="text.secondary">
          Scale-up to {nextScaleUp.targetGpuNodes} nodes{' '}
          {formatInZone(nextScaleUp.nextRun, nextScaleUp.timeZone)}
        </Typography>
      )}
    </Box>
  );
}
