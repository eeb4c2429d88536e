/**
 * The fleet's status service lives in `src/fleet/`; this type stays here only while
 * `DeploymentRequestService` imports it from `./FleetStatusService`.
 */
export type { FleetStatusService } from '../fleet/FleetStatusService';
