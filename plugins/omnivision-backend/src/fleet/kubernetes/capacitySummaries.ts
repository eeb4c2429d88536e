import {
  MODEL_LABEL,
  NodeSummary,
  PLACEMENT_LABEL,
  POD_TEMPLATE_HASH_LABEL,
  PodSummary,
  ScaleScheduleSummary,
  HIPAA_LABEL,
  TARGET_GPU_NODES_ANNOTATION,
} from '@internal/plugin-omnivision-common';
import { SharedValues } from './sharedValues';

/**
 * What the fleet keeps of the objects that say how much GPU capacity a cluster has and uses:
 * nodes, pods and the warm pool's scale-up CronJobs.
 */

/**
 * Labels of pods worth keeping: the model, the HIPAA label, the app, and Argo Rollouts' pod-template
 * hash (which revision of a Rollout a pod runs: stable or canary).
 */
/** The values pods repeat (namespaces, nodes, images, label sets), kept once per process. */
const shared = new SharedValues();

const KEPT_POD_LABELS = [
  MODEL_LABEL,
  HIPAA_LABEL,
  'app',
  POD_TEMPLATE_HASH_LABEL,
];
const PRESSURE_CONDITIONS = [
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
];

/** A Kubernetes quantity of whole devices ("4", "4k" never occurs for GPUs). */
export function count(quantity: unknown): number {
  const n = Number(quantity);
  return Number.isFinite(n) ? n : 0;
}

function gpuResources(
  resources: Record<string, unknown> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(resources ?? {})) {
    if (name === 'nvidia.com/gpu' || name.startsWith('nvidia.com/mig-'))
      out[name] = count(value);
  }
  return out;
}

const PLACEMENT_LABELS = Object.values(PLACEMENT_LABEL);

/** A node: readiness, problems, GPU product and allocatable GPUs, placement. */
export function summarizeNode(node: any): NodeSummary {
  const labels: Record<string, string> = node.metadata?.labels ?? {};
  const conditions: Array<{ type: string; status: string }> =
    node.status?.conditions ?? [];
  const ready = conditions.find(c => c.type === 'Ready');
  const problems = conditions
    .filter(c =>
      c.type === 'Ready'
        ? c.status !== 'True'
        : PRESSURE_CONDITIONS.includes(c.type) && c.status === 'True',
    )
    .map(c => `${c.type}=${c.status}`);
  const memory = Number(labels['nvidia.com/gpu.memory']);
  const summary: NodeSummary = {
    name: node.metadata?.name,
    ready: ready?.status === 'True',
    unschedulable: node.spec?.unschedulable === true,
    gpuAllocatable: gpuResources(node.status?.allocatable),
  };
  if (labels['nvidia.com/gpu.product'])
    summary.gpuProduct = labels['nvidia.com/gpu.product'];
  if (Number.isFinite(memory) && memory > 0) summary.gpuMemoryMiB = memory;
  const placement = PLACEMENT_LABELS.map(l => labels[l]).find(Boolean);
  if (placement) summary.placement = placement;
  if (problems.length > 0) summary.problems = problems;
  return summary;
}

/** A pod: phase, priority, GPU requests summed over containers, a few labels, images. */
export function summarizePod(pod: any): PodSummary {
  const containers: any[] = pod.spec?.containers ?? [];
  const gpuRequests: Record<string, number> = {};
  for (const container of containers) {
    // Extended resources are requested through limits (requests default to them).
    const resources = {
      ...container.resources?.requests,
      ...container.resources?.limits,
    };
    for (const [name, n] of Object.entries(gpuResources(resources)))
      gpuRequests[name] = (gpuRequests[name] ?? 0) + n;
  }
  const labels: Record<string, string> = {};
  for (const key of KEPT_POD_LABELS) {
    const value = pod.metadata?.labels?.[key];
    if (value !== undefined) labels[key] = value;
  }
  const summary: PodSummary = {
    namespace: shared.string(pod.metadata?.namespace),
    name: pod.metadata?.name,
    phase: shared.string(pod.status?.phase ?? 'Pending'),
    priority: pod.spec?.priority ?? 0,
    gpuRequests: shared.object(gpuRequests),
    labels: shared.object(labels),
    images: shared.object(containers.map(c => c.image)),
  };
  if (pod.spec?.nodeName) summary.nodeName = shared.string(pod.spec.nodeName);
  if (pod.spec?.serviceAccountName)
    summary.serviceAccountName = shared.string(pod.spec.serviceAccountName);
  if (pod.metadata?.creationTimestamp)
    summary.createdAt = shared.string(pod.metadata.creationTimestamp);
  return summary;
}

/** A warm-pool scale-up CronJob: schedule, time zone, target GPU nodes. */
export function summarizeCronJob(cronJob: any): ScaleScheduleSummary {
  const target = Number(
    cronJob.metadata?.annotations?.[TARGET_GPU_NODES_ANNOTATION],
  );
  return {
    namespace: cronJob.metadata?.namespace,
    name: cronJob.metadata?.name,
    schedule: cronJob.spec?.schedule,
    timeZone: cronJob.spec?.timeZone,
    targetGpuNodes: Number.isFinite(target) ? target : undefined,
    suspended: cronJob.spec?.suspend === true,
  };
}
