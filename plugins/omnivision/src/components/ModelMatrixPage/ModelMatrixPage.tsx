import { useCallback, useState } from 'react';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  MODEL_HEALTH,
  ModelHealth,
  ModelMatrixCell,
  ModelMatrixRow,
} from '@internal/plugin-omnivision-common';
import {
  omnivisionApiRef,
  useFleetValue,
} from '@internal/plugin-omnivision-react';
import { ImageVersion } from '../ImageVersion';
import { MODEL_HEALTH_LABEL, ModelHealthChip } from '../ModelHealthChip';
import { FleetPageContent } from '../FleetPageContent';

const usd = (n: number) => `$${n.toFixed(2)}/h`;

function ServingChip(props: { row: ModelMatrixRow }) {
  const { servingRegions, survivesRegionLoss } = props.row;
  if (servingRegions.length === 0)
    return <Chip size="small" variant="outlined" label="Serves nowhere" />;
  return (
    <Chip
      size="small"
      color={survivesRegionLoss ? 'success' : 'warning'}
      title={
        survivesRegionLoss
          ? 'Still serves if any one region is cut off'
          : 'Stops serving if this region is cut off'
      }
      label={
        survivesRegionLoss
          ? `${servingRegions.length} regions`
          : `Only ${servingRegions[0]}`
      }
    />
  );
}

function RegionCell(props: { model: string; cell: ModelMatrixCell }) {
  const { cell } = props;
  const label = `${props.model} in ${cell.region}`;
  if (!cell.deployed && cell.gpuCount === 0)
    return (
      <TableCell aria-label={label}>
        <Typography variant="body2" color="text.secondary">
          —
        </Typography>
      </TableCell>
    );
  // An update under way (an aborted one says why instead): a canary image other than the
  // stable one, or steps still to go.
  const updating =
    !cell.abortReason &&
    ((!!cell.canary?.digest && cell.canary.digest !== cell.running?.digest) ||
      (cell.canaryStep < cell.canarySteps && cell.rolloutPhase !== 'Healthy'));
  const wantedElsewhere =
    cell.wanted?.digest && cell.wanted.digest !== cell.running?.digest;
  return (
    <TableCell aria-label={label}>
      <Stack spacing={0.5} alignItems="flex-start">
        <Stack direction="row" spacing={1} alignItems="center">
          <Typography variant="body2" fontWeight="bold">
            <ImageVersion image={cell.running} />
          </Typography>
          <ModelHealthChip health={cell.health} />
        </Stack>
        {wantedElsewhere && (
          <Typography variant="caption">
            Git wants <ImageVersion image={cell.wanted} />
          </Typography>
        )}
        {updating && (
          <Typography variant="caption">
            canary <ImageVersion image={cell.canary} /> · step {cell.canaryStep}{' '}
            of {cell.canarySteps} · {cell.canaryWeight}%
          </Typography>
        )}
        {cell.abortReason && (
          <Typography variant="caption" color="error">
            aborted: {cell.abortReason}
          </Typography>
        )}
        {cell.drift && (
          <Typography variant="caption" color="warning.main">
            drift: {cell.drift}
          </Typography>
        )}
        <Typography variant="caption" color="text.secondary">
          {cell.readyReplicas}/{cell.replicas} ready · {cell.gpuCount} GPU
          {cell.gpuCount === 1 ? '' : 's'} · {usd(cell.hourlyCostUsd)}
          {cell.unpricedPods > 0 && ` (+${cell.unpricedPods} unpriced)`}
        </Typography>
      </Stack>
    </TableCell>
  );
}

/**
 * `/fleet/models`: the model × region matrix. One row per model of the catalog, one column per
 * region with the version running (and the one Git wants, the canary, drift), health, GPUs and
 * their cost an hour; which regions serve each model now, so that a glance tells which models
 * still serve if a region is cut off. Filters by owner team and health.
 */
export function ModelMatrixPage() {
  const api = useApi(omnivisionApiRef);
  const [team, setTeam] = useState('');
  const [health, setHealth] = useState<ModelHealth | ''>('');
  const state = useFleetValue(
    useCallback(
      () =>
        api.getModelMatrix({
          team: team || undefined,
          health: health || undefined,
        }),
      [api, team, health],
    ),
  );
  return (
    <FleetPageContent state={state}>
      {matrix => (
        <>
          <Stack direction="row" spacing={2} sx={{ mb: 2 }}>
            <TextField
              select
              size="small"
              label="Team"
              value={team}
              onChange={e => setTeam(e.target.value)}
              SelectProps={{ native: true }}
              InputLabelProps={{ shrink: true }}
            >
              <option value="">All teams</option>
              {matrix.teams.map(t => (
                <option key={t} value={t}>
                  {t.replace(/^group:default\//, '')}
                </option>
              ))}
            </TextField>
            <TextField
              select
              size="small"
              label="Health"
              value={health}
              onChange={e => setHealth(e.target.value as ModelHealth | '')}
              SelectProps={{ native: true }}
              InputLabelProps={{ shrink: true }}
            >
              <option value="">Any health</option>
              {MODEL_HEALTH.map(h => (
                <option key={h} value={h}>
                  {MODEL_HEALTH_LABEL[h]}
                </option>
              ))}
            </TextField>
          </Stack>
          <TableContainer sx={{ overflowX: 'auto' }}>
            <Table
              size="small"
              aria-label="model matrix"
              sx={{ '& td, & th': { verticalAlign: 'top' } }}
            >
              <TableHead>
                <TableRow>
                  <TableCell>Model</TableCell>
                  <TableCell>Owner</TableCell>
                  <TableCell>Serves from</TableCell>
                  {matrix.regions.map(r => (
                    <TableCell key={r.region}>
                      {r.region}
                      {r.stale && (
                        <Chip
                          size="small"
                          color="warning"
                          label="stale"
                          sx={{ ml: 1 }}
                        />
                      )}
                    </TableCell>
                  ))}
                  <TableCell>GPUs · cost</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {matrix.models.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={matrix.regions.length + 4}>
                      No model matches the filters.
                    </TableCell>
                  </TableRow>
                )}
                {matrix.models.map(row => (
                  <TableRow key={row.entityRef} aria-label={row.model}>
                    <TableCell>
                      <Stack spacing={0.5} alignItems="flex-start">
                        <EntityRefLink
                          entityRef={row.entityRef}
                          title={row.model}
                        />
                        <ModelHealthChip health={row.health} />
                      </Stack>
                    </TableCell>
                    <TableCell>
                      <EntityRefLink
                        entityRef={row.owner}
                        defaultKind="group"
                      />
                    </TableCell>
                    <TableCell>
                      <ServingChip row={row} />
                    </TableCell>
                    {row.cells.map(cell => (
                      <RegionCell
                        key={cell.region}
                        model={row.model}
                        cell={cell}
                      />
                    ))}
                    <TableCell>
                      {row.gpuCount} · {usd(row.hourlyCostUsd)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </>
      )}
    </FleetPageContent>
  );
}
