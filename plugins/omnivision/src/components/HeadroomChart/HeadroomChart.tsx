import { useCallback } from 'react';
import Typography from '@mui/material/Typography';
import { LineChart } from '@mui/x-charts/LineChart';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  omnivisionApiRef,
  usePolledValue,
} from '@internal/plugin-omnivision-react';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The history gains a point a minute: refreshing it more often shows nothing new. */
const HISTORY_REFRESH_MS = 60_000;

/** A cluster's warm-pool headroom over the last 24 hours, against its target. */
export function HeadroomChart(props: { cluster: string; target: number }) {
  const api = useApi(omnivisionApiRef);
  const state = usePolledValue(
    useCallback(
      () =>
        api.getHistory({
          cluster: props.cluster,
          metric: 'headroom',
          from: new Date(Date.now() - DAY_MS),
        }),
      [api, props.cluster],
    ),
    HISTORY_REFRESH_MS,
  );
  if (state.loading && !state.value)
    return <Typography variant="body2">Loading the last 24 hours…</Typography>;
  if (!state.value)
    return (
      <Typography variant="body2" color="error">
        The history could not be read: {state.error?.message}
      </Typography>
    );
  const points = state.value.points;
  if (points.length === 0)
    return (
      <Typography variant="body2" color="text.secondary">
        No history yet: a point is recorded every minute.
      </Typography>
    );
  const x = points.map(p => new Date(p.at));
  return (
    <LineChart
      height={220}
      margin={{ left: 40, right: 16, top: 48, bottom: 32 }}
      xAxis={[
        {
          data: x,
          scaleType: 'time',
          valueFormatter: (d: Date) =>
            d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
        },
      ]}
      yAxis={[{ min: 0, valueFormatter: (v: number) => `${v}%` }]}
      series={[
        {
          label: 'Headroom',
          data: points.map(p =>
            p.value === null ? null : Math.round(p.value * 1000) / 10,
          ),
          showMark: false,
          connectNulls: false,
        },
        {
          label: 'Target',
          data: points.map(() => Math.round(props.target * 1000) / 10),
          showMark: false,
        },
      ]}
    />
  );
}
