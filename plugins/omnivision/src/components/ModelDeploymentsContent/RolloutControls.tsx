import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import ButtonGroup from '@mui/material/ButtonGroup';
import Stack from '@mui/material/Stack';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ROLLOUT_CONTROL_ACTIONS,
  RolloutControlAction,
} from '@internal/plugin-omnivision-common';
import {
  errorReason,
  omnivisionApiRef,
} from '@internal/plugin-omnivision-react';

const TITLE: Record<RolloutControlAction, string> = {
  promote: 'Promote',
  pause: 'Pause',
  resume: 'Resume',
  abort: 'Abort',
};

/**
 * The platform team's control of a model's canary in a region: promote, pause, resume, abort
 * (Argo Rollouts' meaning of each). The server decides; its refusal is shown as it says it.
 */
export function RolloutControls(props: {
  model: string;
  region: string;
  onDone: () => void;
}) {
  const api = useApi(omnivisionApiRef);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{
    severity: 'success' | 'error';
    message: string;
  }>();
  const control = async (action: RolloutControlAction) => {
    setBusy(true);
    setOutcome(undefined);
    try {
      await api.controlRollout(props.model, props.region, action);
      setOutcome({
        severity: 'success',
        message: `${TITLE[action]} sent to ${props.region}`,
      });
      props.onDone();
    } catch (error) {
      setOutcome({ severity: 'error', message: errorReason(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={1} alignItems="flex-start">
      <ButtonGroup
        size="small"
        variant="outlined"
        aria-label={`canary of ${props.model} in ${props.region}`}
      >
        {ROLLOUT_CONTROL_ACTIONS.map(action => (
          <Button
            key={action}
            disabled={busy}
            color={action === 'abort' ? 'error' : 'primary'}
            onClick={() => control(action)}
          >
            {TITLE[action]}
          </Button>
        ))}
      </ButtonGroup>
      {outcome && (
        <Alert severity={outcome.severity} sx={{ py: 0 }}>
          {outcome.message}
        </Alert>
      )}
    </Stack>
  );
}
