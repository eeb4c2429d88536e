import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { z } from 'zod/v3';
import {
  DeploymentPreview,
  DeploymentRequest,
  deploymentRequestSchema,
} from '@internal/plugin-omnivision-common';
import { omnivisionApiRef } from '@internal/plugin-omnivision-react';
import { regionIds } from '../RegionPicker/RegionPicker';
import { PreviewBody } from './PreviewBody';

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
    version: v.version || undefined,
    gpuProfile: v.gpuProfile,
    regions: regionIds(v.regions),
    minReplicas: v.minReplicas,
    maxReplicas: v.maxReplicas,
    rollout: v.rollout ?? undefined,
  });
  return parsed.success ? parsed.data : undefined;
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
