import type { ReactNode } from 'react';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import {
  DeploymentRequestSummary,
  modelNameOf,
} from '@internal/plugin-omnivision-common';
import {
  RequestStateChip,
  useRequestPath,
} from '@internal/plugin-omnivision-react';

/** A column of {@link RequestsTable}. */
export type RequestColumn =
  | 'request'
  | 'pullRequest'
  | 'model'
  | 'regions'
  | 'gpuProfile'
  | 'requester'
  | 'state'
  | 'updated'
  | 'timeline';

const COLUMNS: Record<
  RequestColumn,
  {
    title: string;
    cell: (
      r: DeploymentRequestSummary,
      requestPath: (pullRequestNumber: number) => string,
    ) => ReactNode;
  }
> = {
  request: {
    title: 'Request',
    cell: (r, requestPath) => (
      <Link to={requestPath(r.pullRequestNumber)}>#{r.pullRequestNumber}</Link>
    ),
  },
  pullRequest: {
    title: 'Pull request',
    cell: r => <Link to={r.pullRequestUrl}>#{r.pullRequestNumber}</Link>,
  },
  model: { title: 'Model', cell: r => modelNameOf(r.model) },
  regions: { title: 'Regions', cell: r => r.regions.join(', ') },
  gpuProfile: { title: 'GPU profile', cell: r => r.gpuProfile },
  requester: {
    title: 'Requested by',
    cell: r => parseEntityRef(r.requester).name,
  },
  state: {
    title: 'State',
    cell: r => <RequestStateChip state={r.progress.state} />,
  },
  updated: {
    title: 'Updated',
    cell: r => new Date(r.updatedAt).toLocaleString(),
  },
  timeline: {
    title: 'Request',
    cell: (r, requestPath) => (
      <Link to={requestPath(r.pullRequestNumber)}>timeline</Link>
    ),
  },
};

/**
 * Deployment requests, one row each, with the columns asked for: the requests page links each to
 * its page, a model's tab to its pull request and its timeline.
 */
export function RequestsTable(props: {
  requests: DeploymentRequestSummary[];
  columns: RequestColumn[];
  /** The table's accessible name. */
  label: string;
}) {
  const requestPath = useRequestPath();
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          {props.columns.map(c => (
            <TableCell key={c}>{COLUMNS[c].title}</TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.requests.map(r => (
          <TableRow key={r.pullRequestNumber}>
            {props.columns.map(c => (
              <TableCell key={c}>{COLUMNS[c].cell(r, requestPath)}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
