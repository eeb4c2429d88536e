import { useCallback, useState } from 'react';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { parseEntityRef } from '@backstage/catalog-model';
import { Content, EmptyState, Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  DeploymentRequestState,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import {
  omnivisionApiRef,
  REQUEST_STATES,
  RequestStateChip,
  usePolledValue,
  useRequestPath,
} from '@internal/plugin-omnivision-react';
import { PageState } from '../PageState';

type Filter = 'mine' | 'review' | 'all';

/**
 * `/deployments`: deployment requests, mine, awaiting my review or all, by state, each with where
 * it stands; refreshes every 10 s.
 */
export function DeploymentRequestsPage() {
  const api = useApi(omnivisionApiRef);
  const requestPath = useRequestPath();
  const [filter, setFilter] = useState<Filter>('all');
  const [state, setState] = useState<DeploymentRequestState | ''>('');
  const requests = usePolledValue(
    useCallback(() => api.listRequests(filter), [api, filter]),
  );
  return (
    <Content>
      <Stack direction="row" spacing={2} alignItems="center" mb={2}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={filter}
          onChange={(_e, value) => value && setFilter(value)}
          aria-label="whose requests"
        >
          <ToggleButton value="mine">Mine</ToggleButton>
          <ToggleButton value="review">Awaiting my review</ToggleButton>
          <ToggleButton value="all">All</ToggleButton>
        </ToggleButtonGroup>
        <FormControl size="small" sx={{ minWidth: 200 }}>
          <InputLabel id="request-state">State</InputLabel>
          <Select
            labelId="request-state"
            label="State"
            value={state}
            onChange={e => setState(e.target.value as DeploymentRequestState)}
          >
            <MenuItem value="">any state</MenuItem>
            {REQUEST_STATES.map(s => (
              <MenuItem key={s} value={s}>
                {s.replace('-', ' ')}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Stack>
      <PageState state={requests}>
        {items => {
          const shown = items.filter(r => !state || r.progress.state === state);
          if (shown.length === 0) {
            return (
              <EmptyState
                missing="data"
                title="No deployment requests"
                description={
                  filter === 'review'
                    ? 'Nothing awaits your review.'
                    : 'Deploy a model from Create → Deploy a model: its request shows here once its pull request is open.'
                }
              />
            );
          }
          return (
            <Table size="small" aria-label="deployment requests">
              <TableHead>
                <TableRow>
                  <TableCell>Request</TableCell>
                  <TableCell>Model</TableCell>
                  <TableCell>Regions</TableCell>
                  <TableCell>GPU profile</TableCell>
                  <TableCell>Requested by</TableCell>
                  <TableCell>State</TableCell>
                  <TableCell>Updated</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {shown.map(r => (
                  <TableRow key={r.pullRequestNumber}>
                    <TableCell>
                      <Link to={requestPath(r.pullRequestNumber)}>
                        #{r.pullRequestNumber}
                      </Link>
                    </TableCell>
                    <TableCell>{modelNameOf(r.model)}</TableCell>
                    <TableCell>{r.regions.join(', ')}</TableCell>
                    <TableCell>{r.gpuProfile}</TableCell>
                    <TableCell>{parseEntityRef(r.requester).name}</TableCell>
                    <TableCell>
                      <RequestStateChip state={r.progress.state} />
                    </TableCell>
                    <TableCell>
                      {new Date(r.updatedAt).toLocaleString()}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          );
        }}
      </PageState>
    </Content>
  );
}
