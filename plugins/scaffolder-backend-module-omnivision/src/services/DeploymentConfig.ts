import type { Config } from '@backstage/config';
import type {
  DeploymentRegion,
  GpuProfile,
} from '@internal/plugin-omnivision-common';

/** What the deploy flow reads from `omnivision` config. */
export interface DeploymentConfig {
  profiles: GpuProfile[];
  regions: DeploymentRegion[];
  /** GPUs each team may hold across the fleet, by group entity ref. */
  teamQuotas: Map<string, number>;
  gitops: { host: string; owner: string; repo: string; baseBranch: string };
}

function groupRef(team: string): string {
  if (team.includes(':')) return team.toLocaleLowerCase('en-US');
  return `group:default/${team}`.toLocaleLowerCase('en-US');
}

/** Reads GPU profiles, regions, team quotas and the GitOps repository from config. */
export function readDeploymentConfig(config: Config): DeploymentConfig {
  const profiles = (
    config.getOptionalConfigArray('omnivision.gpuProfiles') ?? []
  ).map(p => {
    const placement = p.getConfig('placement');
    const prices = p.getConfig('hourlyPriceUsd');
    return {
      id: p.getString('id'),
      title: p.getString('title'),
      gpuProduct: p.getString('gpuProduct'),
      gpuResource: p.getOptionalString('gpuResource') ?? 'nvidia.com/gpu',
      gpusPerReplica: p.getNumber('gpusPerReplica'),
      gpuMemoryGiB: p.getNumber('gpuMemoryGiB'),
      placement: {
        aws: placement.getOptionalString('aws'),
        gcp: placement.getOptionalString('gcp'),
      },
      hourlyPriceUsd: Object.fromEntries(
        prices.keys().map(region => [region, prices.getNumber(region)]),
      ),
    };
  });
  const regions = (
    config.getOptionalConfigArray('omnivision.regions') ?? []
  ).map(r => {
    const cloud = r.getString('cloud');
    if (cloud !== 'aws' && cloud !== 'gcp')
      throw new Error(
        `omnivision.regions: cloud must be aws or gcp, not ${cloud}`,
      );
    const gitopsFolder = r.getString('gitopsFolder');
    if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/.test(gitopsFolder))
      throw new Error(
        `omnivision.regions: gitopsFolder ${JSON.stringify(
          gitopsFolder,
        )} must be a plain relative folder`,
      );
    return {
      id: r.getString('id'),
      cluster: r.getString('cluster'),
      cloud,
      gitopsFolder,
    };
  }) as DeploymentRegion[];
  const teamQuotas = new Map(
    (config.getOptionalConfigArray('omnivision.teamQuotas') ?? []).map(q => [
      groupRef(q.getString('team')),
      q.getNumber('maxGpus'),
    ]),
  );
  const gitops = config.getConfig('omnivision.gitops');
  return {
    profiles,
    regions,
    teamQuotas,
    gitops: {
      host: gitops.getString('host'),
      owner: gitops.getString('owner'),
      repo: gitops.getString('repo'),
      baseBranch: gitops.getOptionalString('baseBranch') ?? 'main',
    },
  };
}
