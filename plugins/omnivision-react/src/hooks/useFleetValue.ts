import { configApiRef, useApiHolder } from '@backstage/frontend-plugin-api';
import {
  FLEET_SIGNAL_CHANNEL,
  type FleetChangedSignal,
} from '@internal/plugin-omnivision-common';
import type { PolledValue } from './usePolledValue';
import { useSignalledValue } from './useSignalledValue';

/**
 * How often a fleet page fetches anyway while signals are available, unless
 * `omnivision.fleetPages.fallbackPollSeconds` says otherwise: the backend notices an unreachable
 * API server within its probe interval (10 s), so a region going down shows within 30 s even if
 * its signal is lost.
 *
 * @public
 */
export const FLEET_FALLBACK_POLL_SECONDS = 20;

/**
 * Options of {@link useFleetValue}.
 *
 * @public
 */
export interface FleetValueOptions {
  /** The value is about this cluster only: signals naming other clusters are ignored. */
  cluster?: string;
}

/**
 * A fleet document (`/fleet`, `/compliance`, `/clusters/:name`, `/models`,
 * `/models/:name/deployments`) kept current by the backend's signals on `FLEET_SIGNAL_CHANNEL`
 * ({@link useSignalledValue}): fetched again whenever the fleet changed (the cluster's, with
 * `options.cluster`), and otherwise every `omnivision.fleetPages.fallbackPollSeconds` (20 s; 0:
 * signals only). Without the signals API in the app it polls every 10 s. `load` must be stable
 * (wrap it in useCallback).
 *
 * @public
 */
export function useFleetValue<T>(
  load: () => Promise<T>,
  options: FleetValueOptions = {},
): PolledValue<T> {
  const { cluster } = options;
  const fallbackSeconds =
    useApiHolder()
      .get(configApiRef)
      ?.getOptionalNumber('omnivision.fleetPages.fallbackPollSeconds') ??
    FLEET_FALLBACK_POLL_SECONDS;
  return useSignalledValue(load, {
    channel: FLEET_SIGNAL_CHANNEL,
    matches:
      cluster === undefined
        ? undefined
        : (message: FleetChangedSignal) => message.clusters.includes(cluster),
    fallbackIntervalMs: Math.max(0, fallbackSeconds) * 1000,
  });
}
