import { useState } from 'react';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import { Content, EmptyState } from '@backstage/core-components';
import type { DeploymentRequestState } from '@internal/plugin-omnivision-common';
import {
  REQUEST_STATES,
  useDeploymentRequests,
} from '@internal/plugin-omnivision-react';
import { PageState } from '../PageState';
import { RequestsTable } from '../RequestsTable';

type Filter = 'mine' | 'review' | 'all';

/**
 * `/deployments`: deployment requests, mine, awaiting my review or all, by state, each with where
 * it stands; live: it fetches again whenever the backend signals that a request changed.
 */
export function DeploymentRequestsPage() {
  const [filter, setFilter] = useState<Filter>('all');
  const [state, setState] = useState<DeploymentRequestState | ''>('');
  const requests = useDeploymentRequests(filter);
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
            <RequestsTable
              requests={shown}
              label="deployment requests"
              columns={[
                'request',
                'model',
                'regions',
                'gpuProfile',
                'requester',
                'state',
                'updated',
              ]}
            />
          );
        }}
      </PageState>
    </Content>
  );
}
