import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { FleetStatus } from '@internal/plugin-omnivision-common';
import { omnivisionApiRef } from '../api';
import { usePolledValue, type PolledValue } from './usePolledValue';

/**
 * The fleet's status (`GET /api/omnivision/fleet`), polled as {@link usePolledValue} polls: the
 * status pages and the deploy form's pickers read the same figures the same way.
 *
 * @public
 */
export function usePolledFleet(): PolledValue<FleetStatus> {
  const api = useApi(omnivisionApiRef);
  return usePolledValue(useCallback(() => api.getFleet(), [api]));
}
