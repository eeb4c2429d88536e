import type { RegionalModelDeployment } from '../fleet/FleetStatus';
import { REGIONS } from './deploymentFixtures';

/**
 * A model's healthy deployment in one of {@link REGIONS} (its cluster and cloud from there), as
 * `GET /models/:name/deployments` and the fleet caches give it, with overrides.
 */
export function regionalDeploymentFixture(
  model: string,
  region: string,
  overrides: Partial<RegionalModelDeployment> = {},
): RegionalModelDeployment {
  const configured = REGIONS.find(r => r.id === region);
  if (!configured) throw new Error(`no region ${region} in the fixtures`);
  return {
    model,
    cluster: configured.cluster,
    region,
    cloud: configured.cloud,
    stale: false,
    rolloutPhase: 'Healthy',
    canaryStep: 4,
    canarySteps: 4,
    canaryWeight: 0,
    readyReplicas: 2,
    replicas: 2,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    ...overrides,
  };
}
