import Alert from '@mui/material/Alert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import type { ReactNode } from 'react';
import type { PolledValue } from '@internal/plugin-omnivision-react';

/**
 * The loading, error and stale states every status page shares: a progress bar before the first
 * answer, an error panel when there is nothing to show, and a warning above the last good
 * figures when a refresh failed.
 */
export function PageState<T>(props: {
  state: PolledValue<T>;
  children: (value: T) => ReactNode;
}) {
  const { state } = props;
  if (state.loading && !state.value) return <Progress />;
  if (!state.value)
    return <ResponseErrorPanel error={state.error ?? new Error('No answer')} />;
  return (
    <>
      {state.error && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          Could not refresh ({state.error.message}); showing the figures of{' '}
          {state.updatedAt?.toLocaleTimeString()}.
        </Alert>
      )}
      {props.children(state.value)}
    </>
  );
}
