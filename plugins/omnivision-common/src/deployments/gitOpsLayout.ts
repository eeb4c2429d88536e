import type { Cloud } from '../fleet/FleetStatus';
import { isDnsLabel } from './kubernetesNames';

/**
 * The layout of the GitOps repository (`gitops/` in this project, seed 001's
 * folder-per-environment shape): what the portal writes and what Argo CD (the sandbox's
 * included) reads. Written once here; the renderer, the planner and the sandbox import it.
 */

/** The `omnivision-platform` chart, relative to the repository's root. @public */
export const GITOPS_CHART_PATH = 'charts/omnivision-platform';

/** The label that names the model of a Rollout, its pods and its Argo CD Application. @public */
export const MODEL_LABEL = 'omnivision.ai/model';

/** The label Kyverno requires (`hipaa-compliant=true`) on every pod that handles patient data. @public */
export const HIPAA_LABEL = 'hipaa-compliant';

/** The label of the namespaces that run the platform's applications (`=true`). @public */
export const APPLICATION_NAMESPACE_LABEL = 'omnivision.ai/application';

/** The annotation of a warm-pool scale CronJob: the GPU node count it scales to. @public */
export const TARGET_GPU_NODES_ANNOTATION = 'omnivision.ai/target-gpu-nodes';

/** The label of an Argo CD Application: the cluster it deploys to. @public */
export const CLUSTER_LABEL = 'omnivision.ai/cluster';

/** The cloud's node label that places a pod on a GPU profile's nodes. @public */
export const PLACEMENT_LABEL: Record<Cloud, string> = {
  aws: 'eks.amazonaws.com/nodegroup',
  gcp: 'cloud.google.com/gke-accelerator',
};

/** The priority class of model workloads: above the warm pool's placeholders (-1). @public */
export const MODEL_PRIORITY_CLASS = 'omnivision-model';

/** A cluster folder's Argo CD Application (`<folder>/argo-app.yaml`). @public */
export function clusterApplicationPath(gitopsFolder: string): string {
  return `${gitopsFolder}/argo-app.yaml`;
}

/** The values every release of a cluster folder starts from. @public */
export function clusterOverridesPath(gitopsFolder: string): string {
  return `${gitopsFolder}/values-overrides.yaml`;
}

/** One model's Helm values in a cluster folder: `<folder>/models/<model>.yaml`. @public */
export function modelValuesPath(gitopsFolder: string, model: string): string {
  return `${gitopsFolder}/models/${model}.yaml`;
}

/**
 * The cluster folder and model of a model values path, or undefined when the path is not one
 * (the inverse of {@link modelValuesPath}).
 *
 * @public
 */
export function parseModelValuesPath(
  path: string,
): { gitopsFolder: string; model: string } | undefined {
  const match = /^(.+)\/models\/([^/]+)\.yaml$/.exec(path);
  return match ? { gitopsFolder: match[1], model: match[2] } : undefined;
}

/**
 * Whether a path is a model values file (`<folder>/models/<model>.yaml`, the model a DNS-1123
 * label) in one of the given cluster folders: the only files a deployment writes.
 *
 * @public
 */
export function isModelValuesPathIn(
  path: string,
  gitopsFolders: string[],
): boolean {
  const parsed = parseModelValuesPath(path);
  return (
    !!parsed &&
    gitopsFolders.includes(parsed.gitopsFolder) &&
    isDnsLabel(parsed.model)
  );
}

/** The Argo CD Application that renders one model on one cloud's cluster. @public */
export function modelApplicationName(model: string, cloud: Cloud): string {
  return `model-${model}-${cloud}`;
}
