import { parse, stringify } from 'yaml';
import {
  DEFAULT_CANARY_STEPS,
  DeploymentPolicyContext,
  DeploymentRequest,
} from './DeploymentRequest';
import { modelNameOf } from './deploymentPolicy';
import { placementOf } from './gpuProfilePlacement';
import { chooseModelVersion, modelImageOf } from './modelVersions';
import {
  HIPAA_LABEL,
  MODEL_LABEL,
  MODEL_PRIORITY_CLASS,
  PLACEMENT_LABEL,
  modelValuesPath,
} from './gitOpsLayout';

/** One file of a deployment's pull request. @public */
export interface RenderedValuesFile {
  region: string;
  cluster: string;
  path: string;
  content: string;
}

/**
 * Renders the Helm values of the `omnivision-platform` chart for a validated request: one file
 * per region, `<gitopsFolder>/models/<model>.yaml`, so that two requests never touch the same
 * file. The image is the requested version's (by digest), or the model's newest signed version's
 * when the request names none. The chart's `values.schema.json` (gitops/) is the contract these
 * values meet; the tests validate them against it and render them with Helm. Built as data and written by a YAML library: no input is ever spliced into text. The
 * same request always renders the same bytes.
 *
 * @public
 */
export function renderValuesFiles(
  request: DeploymentRequest,
  context: Required<Pick<DeploymentPolicyContext, 'model'>> &
    DeploymentPolicyContext,
): RenderedValuesFile[] {
  const name = modelNameOf(request.model);
  const profile = context.profiles.find(p => p.id === request.gpuProfile);
  if (!profile) throw new Error(`unknown GPU profile ${request.gpuProfile}`);
  const model = context.model;
  const choice = chooseModelVersion(model, request);
  if (choice.refusal !== undefined) throw new Error(choice.refusal);
  const image = modelImageOf(model, choice.version);
  return request.regions.map(id => {
    const region = context.regions.find(r => r.id === id);
    if (!region) throw new Error(`unknown region ${id}`);
    const placement = placementOf(profile, region.cloud);
    if (!placement)
      throw new Error(`${profile.id} is not offered in ${region.cloud}`);
    const values = {
      model: {
        name,
        entityRef: request.model,
        owner: model.owner,
        dataClassification: model.dataClassification ?? 'unclassified',
        gpuProfile: profile.id,
      },
      global: { cloudProvider: region.cloud },
      aiWorker: {
        image: `${image.repository}@${image.digest}`,
        replicas: request.minReplicas,
        priorityClassName: MODEL_PRIORITY_CLASS,
        resources: {
          limits: { [profile.gpuResource]: profile.gpusPerReplica },
        },
        nodeAffinity: {
          key: PLACEMENT_LABEL[region.cloud],
          operator: 'In',
          values: [placement],
        },
        nodeSelector: { 'nvidia.com/gpu.product': profile.gpuProduct },
        podLabels: {
          [HIPAA_LABEL]: 'true',
          [MODEL_LABEL]: name,
        },
        podSecurityContext: {
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        },
      },
      autoscaling: {
        enabled: request.maxReplicas > request.minReplicas,
        minReplicas: request.minReplicas,
        maxReplicas: request.maxReplicas,
      },
      rollout: {
        canary: {
          steps: request.rollout === 'canary' ? DEFAULT_CANARY_STEPS : [],
        },
      },
    };
    return {
      region: region.id,
      cluster: region.cluster,
      path: modelValuesPath(region.gitopsFolder, name),
      content: `# Rendered by the OmniVision Portal for ${
        request.model
      }; edit through the portal.\n${stringify(values)}`,
    };
  });
}

/** What a model's values file on a branch holds at its most: its owner and GPUs. @public */
export interface ModelValuesHolding {
  model: string;
  /** The model's owning team, as rendered (`model.owner`). */
  owner: string;
  /** GPUs per replica × the most replicas (the autoscaler's maximum, or the fixed count). */
  gpus: number;
}

/**
 * Reads back what {@link renderValuesFiles} wrote (or a person edited in the same shape): the
 * GPUs a model's values file holds at its most. Undefined for a file that is not such values.
 *
 * @public
 */
export function readModelValuesHolding(
  content: string,
): ModelValuesHolding | undefined {
  let values: any;
  try {
    values = parse(content);
  } catch {
    return undefined;
  }
  const name = values?.model?.name;
  const limits = values?.aiWorker?.resources?.limits;
  if (typeof name !== 'string' || !limits || typeof limits !== 'object')
    return undefined;
  const perReplica = Object.entries(limits)
    .filter(([resource]) => resource.startsWith('nvidia.com/'))
    .reduce((sum, [, n]) => sum + (Number(n) || 0), 0);
  const autoscaling = values.autoscaling ?? {};
  const replicas = Number(
    autoscaling.enabled ? autoscaling.maxReplicas : values.aiWorker.replicas,
  );
  return {
    model: name,
    owner: String(values.model.owner ?? ''),
    gpus: perReplica * (Number.isFinite(replicas) ? replicas : 0),
  };
}
