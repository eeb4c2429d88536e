import type { Config } from '@backstage/config';
import type { DeploymentRegion, GpuProfile } from './DeploymentRequest';

/**
 * The GPU profiles of `omnivision.gpuProfiles`, read the same way by the backend and, through
 * the frontend's config API, by the deploy form.
 *
 * @public
 */
export function readGpuProfiles(config: Config): GpuProfile[] {
  return (config.getOptionalConfigArray('omnivision.gpuProfiles') ?? []).map(
    p => {
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
    },
  );
}

/**
 * The regions of `omnivision.regions` that deployments can target (those with a GitOps folder).
 *
 * @public
 */
export function readDeploymentRegions(config: Config): DeploymentRegion[] {
  return (config.getOptionalConfigArray('omnivision.regions') ?? []).flatMap(
    r => {
      const cloud = r.getString('cloud');
      if (cloud !== 'aws' && cloud !== 'gcp')
        throw new Error(
          `omnivision.regions: cloud must be aws or gcp, not ${cloud}`,
        );
      const gitopsFolder = r.getOptionalString('gitopsFolder');
      if (gitopsFolder === undefined) return [];
      if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/.test(gitopsFolder))
        throw new Error(
          `omnivision.regions: gitopsFolder ${JSON.stringify(
            gitopsFolder,
          )} must be a plain relative folder`,
        );
      return [
        {
          id: r.getString('id'),
          cluster: r.getString('cluster'),
          cloud,
          gitopsFolder,
        },
      ];
    },
  );
}
