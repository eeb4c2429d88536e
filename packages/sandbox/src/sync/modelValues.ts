import { parse } from 'yaml';

/** A canary step of an Argo Rollout. */
export type CanaryStep =
  | { setWeight: number }
  | { pause: { duration?: string } };

/** What the sync loop reads from one model's values file in the GitOps repository. */
export interface ModelDeployment {
  name: string;
  image: string;
  replicas: number;
  gpuResource: string;
  gpusPerReplica: number;
  placement?: { label: string; values: string[] };
  priorityClassName: string;
  labels: Record<string, string>;
  steps: CanaryStep[];
}

/** The default canary of seed 001: 5% → 10 min → 50% → 30 min → 100%. */
export const DEFAULT_CANARY: CanaryStep[] = [
  { setWeight: 5 },
  { pause: { duration: '10m' } },
  { setWeight: 50 },
  { pause: { duration: '30m' } },
];

type Values = Record<string, any>;

/**
 * Reads the Helm values of one model (`infrastructure/<cluster-folder>/models/<model>.yaml`),
 * as the omnivision-platform chart would: the worker image, replicas (`autoscaling.minReplicas`
 * when autoscaling), GPU limits, the cloud's node affinity, labels and the canary steps.
 * Throws with the reason when the file is not usable.
 */
export function readModelValues(
  fileName: string,
  text: string,
): ModelDeployment {
  const values: Values = parse(text) ?? {};
  if (typeof values !== 'object' || Array.isArray(values))
    throw new Error(`${fileName}: not a YAML mapping`);
  const worker: Values = values.aiWorker ?? {};
  const name = String(values.model?.name ?? fileName.replace(/\.ya?ml$/, ''));
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63)
    throw new Error(
      `${fileName}: model name ${JSON.stringify(name)} is not a DNS-1123 label`,
    );
  const image = worker.image ?? values.image;
  if (typeof image !== 'string' || !image)
    throw new Error(`${fileName}: aiWorker.image is missing`);
  const limits: Values =
    worker.resources?.limits ?? values.resources?.limits ?? {};
  const [gpuResource, gpus] = Object.entries(limits).find(([k]) =>
    k.startsWith('nvidia.com/'),
  ) ?? ['nvidia.com/gpu', 1];
  const replicas = Number(
    values.autoscaling?.minReplicas ??
      worker.autoscaling?.minReplicas ??
      worker.replicas ??
      values.replicas ??
      1,
  );
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new Error(`${fileName}: replicas must be a whole number`);
  const affinity: Values | undefined =
    worker.nodeAffinity ?? values.nodeAffinity;
  const steps: CanaryStep[] =
    values.rollout?.canary?.steps ??
    worker.rollout?.canary?.steps ??
    DEFAULT_CANARY;
  return {
    name,
    image,
    replicas,
    gpuResource,
    gpusPerReplica: Number(gpus),
    placement:
      affinity?.key && Array.isArray(affinity.values)
        ? { label: String(affinity.key), values: affinity.values.map(String) }
        : undefined,
    priorityClassName: String(
      worker.priorityClassName ??
        values.priorityClassName ??
        'omnivision-model',
    ),
    labels: Object.fromEntries(
      Object.entries({
        ...(values.podLabels ?? {}),
        ...(worker.podLabels ?? {}),
        ...(values.labels ?? {}),
      }).map(([k, v]) => [k, String(v)]),
    ),
    steps,
  };
}

/** A duration such as `10m`, `30s` or `1h` in milliseconds; absent means an indefinite pause. */
export function durationMs(duration: string | undefined): number {
  if (!duration) return Infinity;
  const m = String(duration).match(/^(\d+)(s|m|h)?$/);
  if (!m) return Infinity;
  return (
    Number(m[1]) *
    { s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 's' | 'm' | 'h']
  );
}
