import type { Cloud } from '../fleet/FleetStatus';
import type { DeploymentRegion, GpuProfile } from './DeploymentRequest';

/**
 * The placement rule: a GPU profile is offered in a cloud when it names the node group (EKS) or
 * accelerator (GKE) that runs it there. The policy, the renderer and the deploy form's picker
 * all ask it here.
 *
 * @public
 */
export function placementOf(
  profile: GpuProfile,
  cloud: Cloud,
): string | undefined {
  return profile.placement[cloud] || undefined;
}

/** The profiles offered in the cloud of every chosen region. @public */
export function profilesOffered(
  profiles: GpuProfile[],
  regions: DeploymentRegion[],
  chosen: string[],
): GpuProfile[] {
  const clouds = regions.filter(r => chosen.includes(r.id)).map(r => r.cloud);
  return profiles.filter(p => clouds.every(cloud => !!placementOf(p, cloud)));
}
