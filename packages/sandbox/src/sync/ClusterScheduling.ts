import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import { KubeObject, resourceTypeOfKind } from '../kubernetes/resources';
import { GPU_NODE_SHAPES } from '../kubernetes/gpuCatalog';
import { WARM_POOL_NAMESPACE } from '../kubernetes/objects/namespaces';
import { gpuNode } from '../kubernetes/objects/nodes';
import { pod as podSkeleton } from '../kubernetes/objects/pods';
import { placeholderPod } from '../kubernetes/seedCluster';
import { PLACEMENT_LABEL } from '@internal/plugin-omnivision-common';
import {
  GpuRequest,
  GpuScheduler,
  gpuRequestOf,
  placementOfPodSpec,
} from './GpuScheduler';

const PODS = resourceTypeOfKind('Pod');
const NODES = resourceTypeOfKind('Node');
const DEPLOYMENTS = resourceTypeOfKind('Deployment');

/**
 * What the simulated control plane does with GPU pods on one pass over a cluster: the
 * scheduler's binding and preemption of warm-pool placeholders, the placeholder Deployment's
 * ReplicaSet, and the cluster autoscaler adding a node when pods stay pending.
 */
export class ClusterScheduling {
  #placeholderSerial = 100_000;

  static create(options: { autoscaleDelayMs: number }): ClusterScheduling {
    return new ClusterScheduling(options.autoscaleDelayMs);
  }

  private constructor(readonly autoscaleDelayMs: number) {}

  /** The request of a pod spec on this cluster: its GPU resource and the cloud's placement. */
  requestOf(cluster: SimulatedCluster, p: KubeObject): GpuRequest | undefined {
    const gpu = gpuRequestOf(p);
    if (!gpu) return undefined;
    return {
      ...gpu,
      placement: placementOfPodSpec(
        p.spec as Record<string, any>,
        PLACEMENT_LABEL[cluster.spec.cloud],
      ),
    };
  }

  /** Frees GPUs for a request by deleting placeholder pods on one node, as preemption does. */
  preemptFor(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    request: GpuRequest,
  ): string | undefined {
    const placeholders = cluster.store
      .all(PODS)
      .filter(
        p =>
          (p.spec as { priority?: number })?.priority! < 0 &&
          (p.spec as { nodeName?: string })?.nodeName,
      );
    for (const node of scheduler.candidates(request)) {
      const onNode = placeholders.filter(
        p =>
          (p.spec as { nodeName?: string }).nodeName === node.metadata.name &&
          gpuRequestOf(p)?.resource === request.resource,
      );
      const freed = onNode.reduce(
        (sum, p) => sum + (gpuRequestOf(p)?.count ?? 0),
        0,
      );
      if (
        scheduler.freeOn(node.metadata.name, request.resource) + freed <
        request.count
      )
        continue;
      for (const victim of onNode) {
        if (
          scheduler.freeOn(node.metadata.name, request.resource) >=
          request.count
        )
          break;
        this.deletePod(cluster, scheduler, victim);
      }
      scheduler.reserve(node.metadata.name, request.resource, request.count);
      return node.metadata.name;
    }
    return undefined;
  }

  deletePod(cluster: SimulatedCluster, scheduler: GpuScheduler, p: KubeObject) {
    const nodeName = (p.spec as { nodeName?: string })?.nodeName;
    const request = gpuRequestOf(p);
    if (nodeName && request)
      scheduler.release(nodeName, request.resource, request.count);
    cluster.store.delete(PODS, p.metadata.namespace, p.metadata.name);
  }

  /** The placeholder Deployment keeps its replica count: preempted placeholders come back. */
  reconcilePlaceholders(cluster: SimulatedCluster, scheduler: GpuScheduler) {
    const deployment = cluster.store.get(
      DEPLOYMENTS,
      WARM_POOL_NAMESPACE,
      'gpu-placeholder',
    );
    if (!deployment) return;
    const replicas = (deployment.spec as { replicas: number }).replicas;
    const existing = cluster.store
      .list(PODS, { namespace: WARM_POOL_NAMESPACE })
      .items.filter(p => p.metadata.labels?.app === 'gpu-placeholder');
    const names = new Set(existing.map(p => p.metadata.name));
    for (let missing = replicas - existing.length; missing > 0; missing--) {
      // New pods get new names, as a ReplicaSet's do.
      let serial = this.#placeholderSerial++;
      while (names.has(placeholderPod(serial, undefined).metadata.name))
        serial = this.#placeholderSerial++;
      const nodeName = scheduler.place({
        resource: 'nvidia.com/gpu',
        count: 1,
      });
      const created = cluster.store.create(placeholderPod(serial, nodeName));
      names.add(created.metadata.name);
    }
    const running = existing.filter(
      p => (p.status as { phase?: string })?.phase === 'Running',
    ).length;
    cluster.store.update(
      DEPLOYMENTS,
      WARM_POOL_NAMESPACE,
      'gpu-placeholder',
      d => {
        d.status = {
          ...(d.status as object),
          replicas,
          readyReplicas: running,
          availableReplicas: running,
          unavailableReplicas: Math.max(0, replicas - running),
        };
      },
    );
  }

  /** Binds pending GPU pods where room appeared; adds a node when they have waited too long. */
  bindPending(cluster: SimulatedCluster, scheduler: GpuScheduler, now: number) {
    const pending = cluster.store
      .all(PODS)
      .filter(
        p => !(p.spec as { nodeName?: string })?.nodeName && gpuRequestOf(p),
      );
    let scaled = false;
    for (const p of pending) {
      const request = this.requestOf(cluster, p)!;
      const nodeName = scheduler.place(request);
      if (nodeName) {
        cluster.store.update(
          PODS,
          p.metadata.namespace,
          p.metadata.name,
          copy => bindPod(copy, nodeName),
        );
        continue;
      }
      const since =
        Date.parse(
          ((p.status as any)?.conditions ?? []).find(
            (c: any) => c.type === 'PodScheduled',
          )?.lastTransitionTime ?? '',
        ) || now;
      if (!scaled && now - since >= this.autoscaleDelayMs) {
        this.#addNode(cluster, scheduler, request);
        scaled = true;
      }
    }
  }

  /** The simulated cluster autoscaler: one more node of the kind the pending pod needs. */
  #addNode(
    cluster: SimulatedCluster,
    scheduler: GpuScheduler,
    request: GpuRequest,
  ) {
    const shapes = GPU_NODE_SHAPES[cluster.spec.cloud];
    const shape =
      shapes.find(
        s =>
          (request.resource === 'nvidia.com/gpu'
            ? !s.mig
            : `nvidia.com/mig-${s.mig?.profile}` === request.resource) &&
          (!request.placement ||
            request.placement.values.includes(s.placement)),
      ) ?? shapes.find(s => !s.mig)!;
    const index = cluster.store.all(NODES).length + 1000;
    const node = gpuNode(cluster.spec, shape, index);
    node.metadata.labels = {
      ...node.metadata.labels,
      'omnivision.ai/added-by': 'cluster-autoscaler',
    };
    cluster.store.create(node);
    scheduler.addNode(node);
  }
}

/** A pod as the kubelet reports it once bound to a node: running, ready, its image pulled. */
export function bindPod(copy: KubeObject, nodeName: string) {
  (copy.spec as Record<string, unknown>).nodeName = nodeName;
  const containers = (
    copy.spec as { containers: Array<{ name: string; image: string }> }
  ).containers;
  const running = podSkeleton({
    name: copy.metadata.name,
    namespace: copy.metadata.namespace!,
    labels: {},
    image: containers[0].image,
    nodeName,
  }).status as Record<string, any>;
  copy.status = {
    ...running,
    containerStatuses: containers.map(c => ({
      ...running.containerStatuses[0],
      name: c.name,
      image: c.image,
      imageID: c.image,
    })),
  };
}
