export { DEFAULT_POLL_INTERVAL_MS, usePolledValue } from './usePolledValue';
export type { PolledValue } from './usePolledValue';
export {
  SIGNAL_FALLBACK_INTERVAL_MS,
  useSignalledValue,
} from './useSignalledValue';
export type { SignalledValueOptions } from './useSignalledValue';
export { useDeploymentRequests } from './useDeploymentRequests';
export { useDeploymentRequest } from './useDeploymentRequest';
export { useRequestPath } from './useRequestPath';
export { usePolledFleet } from './usePolledFleet';
export { FLEET_FALLBACK_POLL_SECONDS, useFleetValue } from './useFleetValue';
export type { FleetValueOptions } from './useFleetValue';
