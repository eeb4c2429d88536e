import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  DeploymentFileChange,
  DeploymentPreview,
  HOURS_PER_MONTH,
} from '@internal/plugin-omnivision-common';
import { UnifiedDiff } from '@internal/plugin-omnivision-react';

const usd = (n: number) =>
  n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });

const STATUS_LABEL: Record<DeploymentFileChange['status'], string> = {
  added: 'new file',
  modified: 'changed',
  unchanged: 'unchanged',
};

/**
 * A checked request: every violation, or the cost per region and in all and each file's diff
 * against the GitOps repository's base branch.
 */
export function PreviewBody({ preview }: { preview: DeploymentPreview }) {
  if (preview.violations.length > 0) {
    return (
      <Alert severity="error">
        This request breaks {preview.violations.length} rule
        {preview.violations.length === 1 ? '' : 's'}; the portal will refuse it:
        <ul>
          {preview.violations.map(v => (
            <li key={`${v.rule}:${v.message}`}>
              {v.rule}: {v.message}
            </li>
          ))}
        </ul>
      </Alert>
    );
  }
  const cost = preview.cost!;
  return (
    <Stack spacing={2}>
      <Alert severity="success">
        Every rule passed: {preview.gpus} GPUs at the most. Creating opens a
        pull request from <code>{preview.branch}</code> for the platform team to
        approve.
      </Alert>
      <Typography variant="h6">Cost</Typography>
      <Table size="small" aria-label="cost">
        <TableHead>
          <TableRow>
            <TableCell>Region</TableCell>
            <TableCell align="right">Hourly</TableCell>
            <TableCell align="right">Monthly</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {cost.regions.map(r => (
            <TableRow key={r.region}>
              <TableCell>{r.region}</TableCell>
              <TableCell align="right">
                {usd(r.hourlyMinUsd)} – {usd(r.hourlyMaxUsd)}
              </TableCell>
              <TableCell align="right">
                {usd(r.hourlyMinUsd * HOURS_PER_MONTH)} –{' '}
                {usd(r.hourlyMaxUsd * HOURS_PER_MONTH)}
              </TableCell>
            </TableRow>
          ))}
          <TableRow>
            <TableCell>
              <strong>In all</strong>
            </TableCell>
            <TableCell align="right">
              <strong>
                {usd(cost.hourlyMinUsd)} – {usd(cost.hourlyMaxUsd)} an hour
              </strong>
            </TableCell>
            <TableCell align="right">
              <strong>
                {usd(cost.monthlyMinUsd)} – {usd(cost.monthlyMaxUsd)} a month
              </strong>
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
      <Typography variant="h6">Changes against {preview.baseBranch}</Typography>
      {preview.files.map(file => (
        <Box key={file.path}>
          <Stack direction="row" spacing={1} alignItems="center" mb={0.5}>
            <Typography variant="subtitle2" component="span">
              <code>{file.path}</code> → {file.cluster}
            </Typography>
            <Chip size="small" label={STATUS_LABEL[file.status]} />
          </Stack>
          {file.status === 'unchanged' ? (
            <Typography variant="body2" color="text.secondary">
              Already on {preview.baseBranch} as rendered.
            </Typography>
          ) : (
            <UnifiedDiff diff={file.diff} />
          )}
        </Box>
      ))}
    </Stack>
  );
}
