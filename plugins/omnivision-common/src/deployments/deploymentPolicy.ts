import type {
  DeploymentPolicyContext,
  DeploymentRequest,
  GpuProfile,
  PolicyViolation,
} from './DeploymentRequest';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** The most replicas one request may ask for in one region. */
export const MAX_REPLICAS = 64;

/** The name of a model entity ref (`resource:default/vidgen-xl` → `vidgen-xl`). @public */
export function modelNameOf(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':');
  return ref.slice(Math.max(slash, colon) + 1);
}

/** `[resource:][namespace/]name`: the only shape of model reference the portal accepts. */
const MODEL_REF =
  /^(?:resource:)?(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/)?([^/:]+)$/i;

/** Whether a name is a DNS-1123 label: safe as a file name, a branch segment and a label. @public */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/** GPUs a request holds at its most, across all its regions. @public */
export function requestedGpus(
  request: Pick<DeploymentRequest, 'maxReplicas' | 'regions'>,
  profile: Pick<GpuProfile, 'gpusPerReplica'>,
): number {
  return profile.gpusPerReplica * request.maxReplicas * request.regions.length;
}

/**
 * Checks a deployment request against every rule at once, so that a person sees all there is to
 * fix: the model exists and is an ai-model; names are DNS-1123 labels (no path or YAML can be
 * steered through them); the profile exists, is offered in each chosen region's cloud and has
 * the GPU memory the model needs; replicas make sense; the team stays within its GPU quota; the
 * image is pinned by digest and signed. An empty list means the request may go ahead.
 *
 * @public
 */
export function validateDeploymentRequest(
  request: DeploymentRequest,
  context: DeploymentPolicyContext,
): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const ref = String(request.model ?? '');
  const name = modelNameOf(ref);

  if (!MODEL_REF.test(ref)) {
    violations.push({
      rule: 'name',
      message: `model ${JSON.stringify(
        ref,
      )} is not a reference to a model such as resource:default/vidgen-xl`,
    });
  } else if (!isDnsLabel(name)) {
    violations.push({
      rule: 'name',
      message: `model name ${JSON.stringify(
        name,
      )} is not a DNS-1123 label (lower-case letters, digits and dashes, at most 63)`,
    });
  }
  const model = context.model;
  if (!model) {
    violations.push({
      rule: 'model',
      message: `the catalog has no model ${JSON.stringify(request.model)}`,
    });
  } else if (
    model.kind.toLocaleLowerCase('en-US') !== 'resource' ||
    model.type !== 'ai-model'
  ) {
    violations.push({
      rule: 'model',
      message: `${request.model} is a ${model.kind} of type ${model.type}, not an ai-model`,
    });
  }

  const profile = context.profiles.find(p => p.id === request.gpuProfile);
  if (!profile) {
    violations.push({
      rule: 'profile',
      message: `unknown GPU profile ${JSON.stringify(
        request.gpuProfile,
      )}; known: ${context.profiles.map(p => p.id).join(', ')}`,
    });
  }

  const regions = Array.isArray(request.regions) ? request.regions : [];
  if (regions.length === 0) {
    violations.push({ rule: 'region', message: 'choose at least one region' });
  }
  if (new Set(regions).size !== regions.length) {
    violations.push({ rule: 'region', message: 'a region is chosen twice' });
  }
  for (const id of regions) {
    const region = context.regions.find(r => r.id === id);
    if (!region) {
      violations.push({
        rule: 'region',
        message: `unknown region ${JSON.stringify(id)}; known: ${context.regions
          .map(r => r.id)
          .join(', ')}`,
      });
    } else if (profile && !profile.placement[region.cloud]) {
      violations.push({
        rule: 'placement',
        message: `GPU profile ${profile.id} is not offered in ${region.id} (${region.cloud})`,
      });
    }
  }

  if (
    profile &&
    model?.minGpuMemoryGiB !== undefined &&
    profile.gpuMemoryGiB < model.minGpuMemoryGiB
  ) {
    violations.push({
      rule: 'memory',
      message: `${name} needs ${model.minGpuMemoryGiB} GiB of GPU memory; ${profile.id} gives ${profile.gpuMemoryGiB} GiB`,
    });
  }

  const { minReplicas, maxReplicas } = request;
  if (
    !Number.isInteger(minReplicas) ||
    !Number.isInteger(maxReplicas) ||
    minReplicas < 1 ||
    maxReplicas > MAX_REPLICAS ||
    minReplicas > maxReplicas
  ) {
    violations.push({
      rule: 'replicas',
      message: `replicas must be whole numbers with 1 ≤ minReplicas (${minReplicas}) ≤ maxReplicas (${maxReplicas}) ≤ ${MAX_REPLICAS}`,
    });
  } else if (profile && context.teamGpuQuota !== undefined) {
    const gpus = requestedGpus({ maxReplicas, regions }, profile);
    if (gpus > context.teamGpuQuota) {
      violations.push({
        rule: 'quota',
        message: `${gpus} GPUs at most (${profile.gpusPerReplica} × ${maxReplicas} replicas × ${regions.length} regions) exceed the GPU quota of ${context.team} (${context.teamGpuQuota})`,
      });
    }
  }

  if (model) {
    if (!model.imageDigest || !DIGEST.test(model.imageDigest)) {
      violations.push({
        rule: 'image',
        message: `the image of ${name} must be pinned by digest (sha256:…), not ${JSON.stringify(
          model.imageDigest ?? 'unset',
        )}`,
      });
    }
    if (
      !model.imageRepository ||
      /[\s:@]/.test(model.imageRepository) ||
      !/^[a-z0-9][a-z0-9._\-/]*$/.test(model.imageRepository)
    ) {
      violations.push({
        rule: 'image',
        message: `the image repository of ${name} is not a plain repository name: ${JSON.stringify(
          model.imageRepository ?? 'unset',
        )}`,
      });
    }
    if (model.signed !== true) {
      violations.push({
        rule: 'image',
        message: `the image of ${name} is not marked signed in the catalog`,
      });
    }
  }

  if (request.rollout !== 'canary' && request.rollout !== 'direct') {
    violations.push({
      rule: 'rollout',
      message: `rollout must be canary or direct, not ${JSON.stringify(
        request.rollout,
      )}`,
    });
  }
  return violations;
}
