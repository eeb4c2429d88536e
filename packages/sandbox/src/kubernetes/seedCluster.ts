import type { KubeObject } from './resources';
import type { SimulatedCluster } from './SimulatedCluster';
import { GPU_NODE_SHAPES, nodeCountsByShape } from './gpuCatalog';
import {
  MODEL_PRIORITY_CLASS,
  APPLICATION_NAMESPACE_LABEL,
  HIPAA_LABEL,
} from '@internal/plugin-omnivision-common';
import { PAUSE_IMAGE, digestOf, registryFor } from './objects/images';
import {
  APP_NAMESPACE,
  MODELS_NAMESPACE,
  PLACEHOLDER_PRIORITY_CLASS,
  WARM_POOL_NAMESPACE,
  namespace,
  priorityClass,
  serviceAccount,
  tlsSecret,
} from './objects/namespaces';
import { gpuNode, systemNode } from './objects/nodes';
import { pod, podsOfTemplate } from './objects/pods';
import {
  hipaaPolicy,
  imageSignaturePolicy,
  peerAuthentication,
} from './objects/policies';
import { policyReport, vulnerabilityReport } from './objects/reports';
import { cronJob, deployment } from './objects/workloads';

/** How big a simulated cluster is. */
export interface ClusterSize {
  /** GPU nodes (the baseline is 20; seeded clusters have 24). */
  gpuNodes: number;
  /** Pods in all, at least the placeholders and the platform's own. */
  pods?: number;
}

export const DEFAULT_CLUSTER_SIZE: ClusterSize = { gpuNodes: 24 };
/** Share of the cluster's GPUs that placeholder (pause) pods hold. */
export const WARM_POOL_TARGET = 0.2;

export function gpusOf(node: KubeObject): number {
  const allocatable =
    (node.status as { allocatable?: Record<string, string> } | undefined)
      ?.allocatable ?? {};
  return Number(allocatable['nvidia.com/gpu'] ?? 0);
}

/** Seeds a cluster as the seeds describe: GPU nodes of several products, a warm pool holding
 * at least 20% of the GPUs in placeholder pods, the platform's workloads, compliant controls. */
export function seedCluster(
  cluster: SimulatedCluster,
  size: ClusterSize = DEFAULT_CLUSTER_SIZE,
) {
  const spec = cluster.spec;
  const objects: KubeObject[] = [];
  const registry = registryFor(spec);

  // Nodes
  const gpuNodes: KubeObject[] = [];
  const counts = nodeCountsByShape(spec.cloud, size.gpuNodes);
  let index = 0;
  GPU_NODE_SHAPES[spec.cloud].forEach((shape, i) => {
    for (let n = 0; n < counts[i]; n++)
      gpuNodes.push(gpuNode(spec, shape, index++));
  });
  const systemNodes = [0, 1, 2].map(i => systemNode(spec, i));
  objects.push(...gpuNodes, ...systemNodes);

  // Namespaces, priority classes, identities, policies
  objects.push(
    namespace('kube-system', 'privileged'),
    namespace('istio-system', 'privileged'),
    namespace('kyverno', 'privileged'),
    namespace('argocd', 'baseline'),
    namespace(WARM_POOL_NAMESPACE, 'restricted'),
    namespace(APP_NAMESPACE, 'restricted', {
      'istio-injection': 'enabled',
      [APPLICATION_NAMESPACE_LABEL]: 'true',
    }),
    namespace(MODELS_NAMESPACE, 'restricted', {
      'istio-injection': 'enabled',
      [APPLICATION_NAMESPACE_LABEL]: 'true',
    }),
    priorityClass(
      PLACEHOLDER_PRIORITY_CLASS,
      -1,
      'Pause pods that hold warm GPU capacity; preempted by any real workload.',
      'Never',
    ),
    priorityClass(
      MODEL_PRIORITY_CLASS,
      1000,
      'Model serving workloads; preempt warm-pool placeholders.',
    ),
    priorityClass(
      'system-cluster-critical',
      2000000000,
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    ),
    serviceAccount(spec, 'omnivision-worker', APP_NAMESPACE),
    serviceAccount(spec, 'omnivision-ui', APP_NAMESPACE),
    serviceAccount(spec, 'model-runner', MODELS_NAMESPACE),
    serviceAccount(spec, 'warm-pool-scaler', WARM_POOL_NAMESPACE),
    tlsSecret('omnivision-ui-tls', APP_NAMESPACE),
    peerAuthentication('default', 'istio-system', 'STRICT'),
    hipaaPolicy('Enforce'),
    imageSignaturePolicy(spec),
    cronJob(
      spec,
      'warm-pool-morning-scale-up',
      '0 8 * * *',
      100,
      'Scale the GPU node pool to 100 nodes before the morning peak',
    ),
    cronJob(
      spec,
      'warm-pool-evening-scale-down',
      '0 20 * * *',
      20,
      'Return the GPU node pool to its baseline of 20 nodes',
    ),
  );

  // Pods: placeholders holding the warm pool, the UI on CPU nodes. The AI worker comes from the
  // GitOps repository: the sandbox's Argo CD renders its Rollout at the first sync.
  const wholeGpuNodes = gpuNodes.filter(n => gpusOf(n) > 0);
  const free = new Map(wholeGpuNodes.map(n => [n.metadata.name, gpusOf(n)]));
  const totalGpus = wholeGpuNodes.reduce((sum, n) => sum + gpusOf(n), 0);
  const placeAt = (gpus: number) => {
    const node = wholeGpuNodes.find(
      n => (free.get(n.metadata.name) ?? 0) >= gpus,
    );
    if (!node) return undefined;
    free.set(node.metadata.name, free.get(node.metadata.name)! - gpus);
    return node.metadata.name;
  };

  const workerImage = `${registry}/omnivision-worker@${digestOf(
    'omnivision-worker:1.8.2',
  )}`;
  const uiImage = `${registry}/omnivision-ui@${digestOf(
    'omnivision-ui:2.3.0',
  )}`;
  const placeholderCount = Math.ceil(totalGpus * WARM_POOL_TARGET);
  const uiLabels = {
    app: 'omnivision-ui',
    [HIPAA_LABEL]: 'true',
    'app.kubernetes.io/part-of': 'omnivision',
  };
  const placeholderLabels = {
    app: 'gpu-placeholder',
    'app.kubernetes.io/part-of': 'warm-pool',
  };
  const appPods: KubeObject[] = [];
  for (let i = 0; i < 3; i++) {
    appPods.push(
      pod({
        name: `omnivision-ui-5c4b9d7f8-${suffix(i)}`,
        namespace: APP_NAMESPACE,
        labels: { ...uiLabels, 'pod-template-hash': '5c4b9d7f8' },
        image: uiImage,
        nodeName: systemNodes[i % systemNodes.length].metadata.name,
        serviceAccountName: 'omnivision-ui',
        owner: {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'omnivision-ui-5c4b9d7f8',
        },
      }),
    );
  }
  const placeholders: KubeObject[] = [];
  for (let i = 0; i < placeholderCount; i++) {
    placeholders.push(placeholderPod(i, placeAt(1)));
  }
  objects.push(...appPods, ...placeholders);
  objects.push(
    deployment('omnivision-ui', APP_NAMESPACE, 3, uiLabels, uiImage),
    deployment(
      'gpu-placeholder',
      WARM_POOL_NAMESPACE,
      placeholderCount,
      placeholderLabels,
      PAUSE_IMAGE,
      1,
      PLACEHOLDER_PRIORITY_CLASS,
    ),
    policyReport(APP_NAMESPACE, appPods),
    policyReport(MODELS_NAMESPACE, []),
    vulnerabilityReport(
      APP_NAMESPACE,
      'omnivision-worker-7d9f8b6c5',
      workerImage,
      [
        {
          vulnerabilityID: 'CVE-2024-45491',
          severity: 'MEDIUM',
          resource: 'libexpat1',
          installedVersion: '2.5.0-1',
          fixedVersion: '2.5.0-1+deb12u1',
          title: 'libexpat: integer overflow in dtdCopy',
        },
      ],
    ),
    vulnerabilityReport(APP_NAMESPACE, 'omnivision-ui-5c4b9d7f8', uiImage),
  );

  // Filler CPU pods up to the requested total (benchmarks scale clusters to 150,000 pods).
  const fillerCount = Math.max(
    0,
    (size.pods ?? 0) - objects.filter(o => o.kind === 'Pod').length,
  );
  const cpuNodes = [...systemNodes, ...gpuNodes];
  const batchEncoder = podsOfTemplate({
    namespace: APP_NAMESPACE,
    labels: { app: 'batch-encoder', [HIPAA_LABEL]: 'true' },
    image: `${registry}/batch-encoder@${digestOf('batch-encoder:0.9.1')}`,
    serviceAccountName: 'omnivision-worker',
  });
  for (let i = 0; i < fillerCount; i++) {
    objects.push(
      batchEncoder(
        `batch-encoder-${suffix(i)}`,
        cpuNodes[i % cpuNodes.length].metadata.name,
      ),
    );
  }
  cluster.store.replaceAll(objects);
}

/** A short, stable pod-name suffix as ReplicaSets generate them. */
export function suffix(i: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  let n = i + 7919; // bijective: distinct i give distinct suffixes below 27^5
  for (let k = 0; k < 5; k++) {
    s += alphabet[n % alphabet.length];
    n = Math.floor(n / alphabet.length);
  }
  return s;
}

export function placeholderPod(
  i: number,
  nodeName: string | undefined,
): KubeObject {
  return pod({
    name: `gpu-placeholder-6b8c9d4f7-${suffix(i)}`,
    namespace: WARM_POOL_NAMESPACE,
    labels: {
      app: 'gpu-placeholder',
      'app.kubernetes.io/part-of': 'warm-pool',
      'pod-template-hash': '6b8c9d4f7',
    },
    image: PAUSE_IMAGE,
    gpus: 1,
    nodeName,
    priorityClassName: PLACEHOLDER_PRIORITY_CLASS,
    priority: -1,
    owner: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'gpu-placeholder-6b8c9d4f7',
    },
  });
}
