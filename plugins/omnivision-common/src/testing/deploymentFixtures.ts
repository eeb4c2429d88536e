import type { JsonObject } from '@backstage/config';
import type {
  DeploymentPolicyContext,
  DeploymentRegion,
  DeploymentRequest,
  GpuProfile,
} from '../deployments/DeploymentRequest';
import type { ModelVersion } from '../deployments/modelVersions';

/** GPU profiles as app-config.yaml configures them. */
export const PROFILES: GpuProfile[] = [
  {
    id: 'a100-40gb-1',
    title: '1 × A100 40 GB',
    gpuProduct: 'NVIDIA-A100-SXM4-40GB',
    gpuResource: 'nvidia.com/gpu',
    gpusPerReplica: 1,
    gpuMemoryGiB: 40,
    placement: { aws: 'gpu-a100', gcp: 'nvidia-tesla-a100' },
    hourlyPriceUsd: { 'us-west-2': 4.1, 'europe-west1': 3.93 },
  },
  {
    id: 'a10g-1',
    title: '1 × A10G 24 GB',
    gpuProduct: 'NVIDIA-A10G',
    gpuResource: 'nvidia.com/gpu',
    gpusPerReplica: 1,
    gpuMemoryGiB: 24,
    placement: { aws: 'gpu-a10g' },
    hourlyPriceUsd: { 'us-west-2': 1.21 },
  },
  {
    id: 'a100-mig-1g5gb',
    title: 'A100 MIG 1g.5gb slice',
    gpuProduct: 'NVIDIA-A100-SXM4-40GB',
    gpuResource: 'nvidia.com/mig-1g.5gb',
    gpusPerReplica: 1,
    gpuMemoryGiB: 5,
    placement: { aws: 'gpu-a100-mig', gcp: 'nvidia-tesla-a100' },
    hourlyPriceUsd: { 'us-west-2': 0.62, 'europe-west1': 0.6 },
  },
];

/** The regions as app-config.yaml configures them. */
export const REGIONS: DeploymentRegion[] = [
  {
    id: 'us-west-2',
    cluster: 'eks-us-west-2',
    cloud: 'aws',
    gitopsFolder: 'infrastructure/cluster-aws',
  },
  {
    id: 'europe-west1',
    cluster: 'gke-europe-west1',
    cloud: 'gcp',
    gitopsFolder: 'infrastructure/cluster-gcp',
  },
];

/**
 * Regions and GPU profiles as `omnivision` config data (what app-config.yaml holds), for the
 * ConfigReader or mock config of a test; all profiles unless some ids are given.
 */
export function deploymentConfigFixture(
  options: { profileIds?: string[]; regions?: DeploymentRegion[] } = {},
): JsonObject {
  const profiles = options.profileIds
    ? PROFILES.filter(p => options.profileIds!.includes(p.id))
    : PROFILES;
  // Plain data, as config is.
  return JSON.parse(
    JSON.stringify({
      regions: options.regions ?? REGIONS,
      gpuProfiles: profiles,
    }),
  );
}

/** A signed image digest. */
export const DIGEST = `sha256:${'a'.repeat(64)}`;

/** Versions of a model as the catalog lists them: a newer unsigned one above two signed ones. */
export const VERSIONS: ModelVersion[] = [
  {
    version: '2.2.0-rc.1',
    imageDigest: `sha256:${'c'.repeat(64)}`,
    signed: false,
    releasedAt: '2026-11-20T10:00:00Z',
  },
  {
    version: '2.1.0',
    imageDigest: `sha256:${'b'.repeat(64)}`,
    signed: true,
    releasedAt: '2026-10-02T09:00:00Z',
  },
  {
    version: '2.0.0',
    imageDigest: DIGEST,
    signed: true,
    releasedAt: '2026-07-15T09:00:00Z',
  },
];

/** {@link contextFixture} with a model that lists {@link VERSIONS} (and no image of its own). */
export function versionedContextFixture(
  overrides: Partial<DeploymentPolicyContext> = {},
): DeploymentPolicyContext & Required<Pick<DeploymentPolicyContext, 'model'>> {
  const context = contextFixture(overrides);
  const { imageDigest: _digest, signed: _signed, ...model } = context.model;
  return { ...context, model: { ...model, versions: VERSIONS } };
}

export function contextFixture(
  overrides: Partial<DeploymentPolicyContext> = {},
): DeploymentPolicyContext & Required<Pick<DeploymentPolicyContext, 'model'>> {
  return {
    model: {
      name: 'vidgen-xl',
      kind: 'Resource',
      type: 'ai-model',
      owner: 'group:default/data-science',
      imageRepository: 'registry.omnivision.ai/models/vidgen-xl',
      imageDigest: DIGEST,
      signed: true,
      minGpuMemoryGiB: 16,
      dataClassification: 'phi',
    },
    profiles: PROFILES,
    regions: REGIONS,
    teamGpuQuota: 32,
    team: 'group:default/data-science',
    ...overrides,
  } as any;
}

export function requestFixture(
  overrides: Partial<DeploymentRequest> = {},
): DeploymentRequest {
  return {
    model: 'resource:default/vidgen-xl',
    gpuProfile: 'a100-40gb-1',
    regions: ['us-west-2', 'europe-west1'],
    minReplicas: 2,
    maxReplicas: 4,
    rollout: 'canary',
    ...overrides,
  };
}
