/**
 * What the OmniVision frontend packages share: the API client and its ref, the route of a
 * deployment request, the hooks and the shared components (the diff and the state chips).
 *
 * @packageDocumentation
 */
export { errorReason, omnivisionApiRef, OmniVisionClient } from './api';
export type { OmniVisionApi } from './api';
export { requestRouteRef } from './routes';
export {
  DEFAULT_POLL_INTERVAL_MS,
  FLEET_FALLBACK_POLL_SECONDS,
  SIGNAL_FALLBACK_INTERVAL_MS,
  useDeploymentRequest,
  useDeploymentRequests,
  useFleetValue,
  usePolledFleet,
  usePolledValue,
  useRequestPath,
  useSignalledValue,
} from './hooks';
export type {
  FleetValueOptions,
  PolledValue,
  SignalledValueOptions,
} from './hooks';
export { UnifiedDiff } from './components/UnifiedDiff';
export {
  ClusterHealthChip,
  REACHABILITY_COLOR,
  clusterReachability,
  formatAge,
} from './components/ClusterHealthChip';
export type { ClusterReachability } from './components/ClusterHealthChip';
export { ComplianceSummaryChip } from './components/ComplianceSummaryChip';
export { ControlStatusChip } from './components/ControlStatusChip';
export {
  REQUEST_STATES,
  RequestStateChip,
} from './components/RequestStateChip';
