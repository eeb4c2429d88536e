import type { Cloud } from '../fleet/FleetStatus';
import type { ModelVersion } from './modelVersions';

/** A GPU profile a model can be deployed on (config `omnivision.gpuProfiles`). @public */
export interface GpuProfile {
  id: string;
  title: string;
  /** GPU Feature Discovery's product, e.g. `NVIDIA-A100-SXM4-40GB`. */
  gpuProduct: string;
  /** `nvidia.com/gpu`, or a MIG slice such as `nvidia.com/mig-1g.5gb`. */
  gpuResource: string;
  gpusPerReplica: number;
  /** GPU memory one replica gets, in GiB. */
  gpuMemoryGiB: number;
  /** Where the profile runs in each cloud; a cloud without an entry does not offer it. */
  placement: {
    /** EKS: the `eks.amazonaws.com/nodegroup` value. */
    aws?: string;
    /** GKE: the `cloud.google.com/gke-accelerator` value. */
    gcp?: string;
  };
  /** Price of one replica for an hour, by region id, in US dollars. */
  hourlyPriceUsd: Record<string, number>;
}

/** One region of the fleet (config `omnivision.regions`). @public */
export interface DeploymentRegion {
  id: string;
  cluster: string;
  cloud: Cloud;
  /** The cluster's folder in the GitOps repository, e.g. `infrastructure/cluster-aws`. */
  gitopsFolder: string;
}

/** What a model's catalog entity (a Resource of type ai-model) says of it. @public */
export interface ModelSpec {
  name: string;
  /** The entity's kind and spec.type, to refuse anything that is not an ai-model. */
  kind: string;
  type: string;
  owner: string;
  imageRepository?: string;
  /**
   * The model's released versions (`spec.model.versions`), each with its image digest; a request
   * deploys one of the signed ones. When listed, `imageDigest` and `signed` below are not read.
   */
  versions?: ModelVersion[];
  /** A model that lists no versions: its image's digest, `sha256:` and 64 hex digits; a tag is refused. */
  imageDigest?: string;
  /** A model that lists no versions: whether its image is signed (cosign), as its entity declares. */
  signed?: boolean;
  minGpuMemoryGiB?: number;
  dataClassification?: string;
}

/** How the new version is rolled out. @public */
export type RolloutStrategy = 'canary' | 'direct';

/** The deploy form's answers: the template's parameters, as scripts send them. @public */
export interface DeploymentRequest {
  /** Entity ref of the ai-model, e.g. `resource:default/vidgen-xl`. */
  model: string;
  /**
   * One of the model's signed versions (`spec.model.versions[].version`); absent or empty: the
   * newest signed version.
   */
  version?: string;
  gpuProfile: string;
  regions: string[];
  minReplicas: number;
  maxReplicas: number;
  rollout: RolloutStrategy;
}

/** The rules of the deployment policy. @public */
export type PolicyRule =
  | 'model'
  | 'name'
  | 'version'
  | 'profile'
  | 'region'
  | 'placement'
  | 'memory'
  | 'replicas'
  | 'quota'
  | 'image'
  | 'rollout';

/** One broken rule, with a message a person can act on. @public */
export interface PolicyViolation {
  rule: PolicyRule;
  message: string;
}

/** One rule of the policy with its outcome: what passed, or what to fix. @public */
export interface PolicyResult {
  rule: PolicyRule;
  passed: boolean;
  message: string;
}

/** Everything the policy needs besides the request; gathered by the caller. @public */
export interface DeploymentPolicyContext {
  /** The model's entity, or undefined when the catalog has no such entity. */
  model?: ModelSpec;
  profiles: GpuProfile[];
  regions: DeploymentRegion[];
  /** GPUs the requesting team may hold across the fleet; undefined when it has no quota. */
  teamGpuQuota?: number;
  /** The team the quota belongs to, for messages. */
  team: string;
  /**
   * GPUs the team already holds across the fleet besides this request (the GitOps repository's
   * `main` and its other open requests); undefined when only the request itself is counted.
   */
  teamGpusHeld?: TeamGpusHeld;
}

/** Where a team holds GPUs: a model on `main` in a region, or an open request. @public */
export interface TeamGpuHolding {
  /** e.g. `vidgen-lite on main in us-west-2` or `open request #12 (vidgen-sd)`. */
  source: string;
  gpus: number;
}

/** GPUs a team already holds across the fleet, and where. @public */
export interface TeamGpusHeld {
  gpus: number;
  holdings: TeamGpuHolding[];
}

/** The canary of seed 001: 5% → 10 min → 50% → 30 min → 100%. @public */
export const DEFAULT_CANARY_STEPS = [
  { setWeight: 5 },
  { pause: { duration: '10m' } },
  { setWeight: 50 },
  { pause: { duration: '30m' } },
];
