import type { Config } from '@backstage/config';
import {
  DeploymentRegion,
  GpuProfile,
  readDeploymentRegions,
  readGpuProfiles,
} from '@internal/plugin-omnivision-common';

/** What the deploy flow reads from `omnivision` config. @public */
export interface DeploymentConfig {
  profiles: GpuProfile[];
  regions: DeploymentRegion[];
  /** GPUs each team may hold across the fleet, by group entity ref. */
  teamQuotas: Map<string, number>;
}

function groupRef(team: string): string {
  if (team.includes(':')) return team.toLocaleLowerCase('en-US');
  return `group:default/${team}`.toLocaleLowerCase('en-US');
}

/** Reads GPU profiles and regions (as omnivision-common does) and the teams' GPU quotas. @public */
export function readDeploymentConfig(config: Config): DeploymentConfig {
  const profiles = readGpuProfiles(config);
  const regions = readDeploymentRegions(config);
  const teamQuotas = new Map(
    (config.getOptionalConfigArray('omnivision.teamQuotas') ?? []).map(q => [
      groupRef(q.getString('team')),
      q.getNumber('maxGpus'),
    ]),
  );
  return { profiles, regions, teamQuotas };
}
