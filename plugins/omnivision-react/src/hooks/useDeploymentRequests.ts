import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  REQUESTS_SIGNAL_CHANNEL,
  type DeploymentRequestSummary,
} from '@internal/plugin-omnivision-common';
import { omnivisionApiRef } from '../api';
import type { PolledValue } from './usePolledValue';
import { useSignalledValue } from './useSignalledValue';

/**
 * Deployment requests with where each stands (`GET /api/omnivision/requests`): all, the signed-in
 * person's or those awaiting their review, optionally of one model. Fetched again whenever the
 * backend signals that any request changed ({@link useSignalledValue} on
 * `REQUESTS_SIGNAL_CHANNEL`), so a list shows a new request, a review or a merge without polling.
 *
 * @public
 */
export function useDeploymentRequests(
  filter: 'all' | 'mine' | 'review',
  options: { model?: string } = {},
): PolledValue<DeploymentRequestSummary[]> {
  const api = useApi(omnivisionApiRef);
  const { model } = options;
  return useSignalledValue(
    useCallback(
      () => api.listRequests(filter, { model }),
      [api, filter, model],
    ),
    { channel: REQUESTS_SIGNAL_CHANNEL },
  );
}
