import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { FleetStatus } from '@internal/plugin-omnivision-common';
import { omnivisionApiRef } from '../api';
import type { PolledValue } from './usePolledValue';
import { useFleetValue } from './useFleetValue';

/**
 * The fleet's status (`GET /api/omnivision/fleet`), kept current as {@link useFleetValue} keeps
 * it (the backend's fleet signals, a slow poll in case one is lost): the status pages and the
 * deploy form's pickers read the same figures the same way.
 *
 * @public
 */
export function usePolledFleet(): PolledValue<FleetStatus> {
  const api = useApi(omnivisionApiRef);
  return useFleetValue(useCallback(() => api.getFleet(), [api]));
}
