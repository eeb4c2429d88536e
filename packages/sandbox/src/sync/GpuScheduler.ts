import type { KubeObject } from '../kubernetes/resources';

/** What a pod asks of a node: an extended GPU resource and, optionally, a node label to match. */
export interface GpuRequest {
  resource: string;
  count: number;
  placement?: { label: string; values: string[] };
}

type Containers = ReadonlyArray<{
  resources?: { limits?: Record<string, string> };
}>;

function gpuRequestOfContainers(
  containers: Containers,
): { resource: string; count: number } | undefined {
  for (const c of containers) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    for (const resource of Object.keys(limits)) {
      if (resource.startsWith('nvidia.com/'))
        return { resource, count: Number(limits[resource]) };
    }
  }
  return undefined;
}

/**
 * The requests of containers that cannot change: frozen, as the seeded pods of one template
 * share them (150,000 per cluster at scale, read on every pass of the sync loop).
 */
const requestsOfFrozenContainers = new WeakMap<
  Containers,
  Readonly<{ resource: string; count: number }> | null
>();

/** The GPU resource and count a pod requests (the first nvidia.com/* limit), if any. */
export function gpuRequestOf(
  pod: KubeObject,
): { resource: string; count: number } | undefined {
  const containers =
    (pod.spec as { containers?: Containers } | undefined)?.containers ?? [];
  if (!Object.isFrozen(containers)) return gpuRequestOfContainers(containers);
  let request = requestsOfFrozenContainers.get(containers);
  if (request === undefined) {
    const found = gpuRequestOfContainers(containers);
    request = found ? Object.freeze(found) : null;
    requestsOfFrozenContainers.set(containers, request);
  }
  return request ?? undefined;
}

function isActive(pod: KubeObject) {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * Free GPUs per node, computed from nodes' allocatable resources and the requests of the active
 * pods bound to them, with first-fit placement as the scheduler would do for these pods.
 */
export class GpuScheduler {
  readonly #free = new Map<string, Map<string, number>>();
  readonly #nodes: KubeObject[];

  static create(nodes: KubeObject[], pods: KubeObject[]): GpuScheduler {
    return new GpuScheduler(nodes, pods);
  }

  private constructor(nodes: KubeObject[], pods: KubeObject[]) {
    this.#nodes = nodes.filter(
      n => !(n.spec as { unschedulable?: boolean })?.unschedulable,
    );
    for (const node of this.#nodes) {
      const allocatable =
        (node.status as { allocatable?: Record<string, string> })
          ?.allocatable ?? {};
      const free = new Map<string, number>();
      for (const [resource, value] of Object.entries(allocatable)) {
        if (resource.startsWith('nvidia.com/'))
          free.set(resource, Number(value));
      }
      this.#free.set(node.metadata.name, free);
    }
    for (const pod of pods) {
      const nodeName = (pod.spec as { nodeName?: string })?.nodeName;
      const free = nodeName ? this.#free.get(nodeName) : undefined;
      const request = free && gpuRequestOf(pod);
      if (request && isActive(pod)) {
        free.set(
          request.resource,
          (free.get(request.resource) ?? 0) - request.count,
        );
      }
    }
  }

  #matches(node: KubeObject, request: GpuRequest) {
    return (
      !request.placement ||
      request.placement.values.includes(
        node.metadata.labels?.[request.placement.label] ?? '',
      )
    );
  }

  freeOn(nodeName: string, resource: string): number {
    return this.#free.get(nodeName)?.get(resource) ?? 0;
  }

  /** Nodes that could ever run the request (right placement, enough capacity). */
  candidates(request: GpuRequest): KubeObject[] {
    return this.#nodes.filter(n => this.#matches(n, request));
  }

  /** Binds the request to the first node with room, returning its name. */
  place(request: GpuRequest): string | undefined {
    const node = this.#nodes.find(
      n =>
        this.#matches(n, request) &&
        this.freeOn(n.metadata.name, request.resource) >= request.count,
    );
    if (!node) return undefined;
    this.reserve(node.metadata.name, request.resource, request.count);
    return node.metadata.name;
  }

  reserve(nodeName: string, resource: string, count: number) {
    const free = this.#free.get(nodeName);
    if (free) free.set(resource, (free.get(resource) ?? 0) - count);
  }

  release(nodeName: string, resource: string, count: number) {
    this.reserve(nodeName, resource, -count);
  }

  addNode(node: KubeObject) {
    this.#nodes.push(node);
    const allocatable =
      (node.status as { allocatable?: Record<string, string> })?.allocatable ??
      {};
    this.#free.set(
      node.metadata.name,
      new Map(
        Object.entries(allocatable)
          .filter(([r]) => r.startsWith('nvidia.com/'))
          .map(([r, v]) => [r, Number(v)]),
      ),
    );
  }
}

/**
 * The node-label placement a pod spec asks for on a cloud: the `In` values of its required node
 * affinity on the cloud's placement label, or its nodeSelector on that label.
 */
export function placementOfPodSpec(
  spec: Record<string, any> | undefined,
  label: string,
): { label: string; values: string[] } | undefined {
  const terms: Array<{
    matchExpressions?: Array<{
      key: string;
      operator: string;
      values?: string[];
    }>;
  }> =
    spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    const expression = term.matchExpressions?.find(
      e => e.key === label && e.operator === 'In',
    );
    if (expression?.values?.length)
      return { label, values: expression.values.map(String) };
  }
  const selected = spec?.nodeSelector?.[label];
  return selected ? { label, values: [String(selected)] } : undefined;
}
