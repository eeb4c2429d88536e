import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  REQUESTS_SIGNAL_CHANNEL,
  type DeploymentRequestDetail,
  type RequestChangedSignal,
} from '@internal/plugin-omnivision-common';
import { omnivisionApiRef } from '../api';
import type { PolledValue } from './usePolledValue';
import { useSignalledValue } from './useSignalledValue';

/**
 * One deployment request in full (`GET /api/omnivision/requests/:number`), fetched again whenever
 * the backend signals that this request changed (a review, the gate's verdict, the merge, a
 * region synced, healthy or failed); signals about other requests are ignored.
 *
 * @public
 */
export function useDeploymentRequest(
  pullRequestNumber: number,
): PolledValue<DeploymentRequestDetail> {
  const api = useApi(omnivisionApiRef);
  return useSignalledValue(
    useCallback(
      () => api.getRequest(pullRequestNumber),
      [api, pullRequestNumber],
    ),
    {
      channel: REQUESTS_SIGNAL_CHANNEL,
      matches: (message: RequestChangedSignal) =>
        message.pullRequestNumber === pullRequestNumber,
    },
  );
}
