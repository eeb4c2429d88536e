import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { z } from 'zod/v3';
import {
  DeploymentFileChange,
  DeploymentPreview,
  DeploymentRequest,
  deploymentRequestSchema,
  HOURS_PER_MONTH,
} from '@internal/plugin-omnivision-common';
import {
  UnifiedDiff,
  omnivisionApiRef,
} from '@internal/plugin-omnivision-react';
import { regionIds } from '../RegionPicker/RegionPicker';

const usd = (n: number) =>
  n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });

const requestSchema = deploymentRequestSchema(z);

/**
 * The form's answers as a deployment request, parsed with the one schema of a request; undefined
 * while an answer is still missing (or not yet of its shape). The form's other answers are left
 * out, and so are the empty items it fills the regions with.
 */
export function deploymentRequestOf(
  values: Record<string, unknown> | undefined,
): DeploymentRequest | undefined {
  const v = values ?? {};
  const parsed = requestSchema.safeParse({
    model: v.model,
    gpuProfile: v.gpuProfile,
    regions: regionIds(v.regions),
    minReplicas: v.minReplicas,
    maxReplicas: v.maxReplicas,
    rollout: v.rollout ?? undefined,
  });
  return parsed.success ? parsed.data : undefined;
}

const STATUS_LABEL: Record<DeploymentFileChange['status'], string> = {
  added: 'new file',
  modified: 'changed',
  unchanged: 'unchanged',
};

function PreviewBody({ preview }: { preview: DeploymentPreview }) {
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

/**
 * The deploy form's last step: the request checked on the server as the signed-in person, each
 * file its pull request would write as a diff against the GitOps repository's base branch, and
 * the hourly and monthly cost. Reads only; the scaffolder's actions check everything again.
 */
export function DeploymentReview(props: FieldExtensionComponentProps<null>) {
  const api = useApi(omnivisionApiRef);
  const request = deploymentRequestOf(props.formContext?.formData);
  const key = request ? JSON.stringify(request) : '';
  const [state, setState] = useState<{
    key: string;
    preview?: DeploymentPreview;
    error?: Error;
  }>();

  useEffect(() => {
    if (!key) return undefined;
    let current = true;
    api.previewDeployment(JSON.parse(key)).then(
      preview => current && setState({ key, preview }),
      error => current && setState({ key, error }),
    );
    return () => {
      current = false;
    };
  }, [api, key]);

  let body: JSX.Element;
  if (!request) {
    body = (
      <Alert severity="info">
        Choose a model, regions, a GPU profile and replicas to see the changes.
      </Alert>
    );
  } else if (state?.key !== key) {
    body = (
      <Stack direction="row" spacing={1} alignItems="center">
        <CircularProgress size={20} />
        <Typography>Checking the request and rendering its files…</Typography>
      </Stack>
    );
  } else if (state.error) {
    body = (
      <Alert severity="warning">
        The preview is not available ({state.error.message}). The portal still
        checks the request when you create it.
      </Alert>
    );
  } else {
    body = <PreviewBody preview={state.preview!} />;
  }
  return (
    <Box>
      <Typography variant="h5" gutterBottom>
        {props.schema.title ?? 'Review the changes'}
      </Typography>
      {body}
    </Box>
  );
}

export const DeploymentReviewField = createFormField({
  name: 'DeploymentReview',
  component: DeploymentReview,
});
