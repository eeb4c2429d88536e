import { createHash } from 'node:crypto';
import type { V1Pod, V1SecurityContext } from '@kubernetes/client-node';
import { digestOf } from './images';
import { Json, KubeObjectOf, SEED_TIME, stableId } from './kubeJson';

/** The restricted-profile security context every application container runs with. */
export const RESTRICTED_CONTAINER_SECURITY: Json<V1SecurityContext> = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/** What a pod is built from. */
export interface PodOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  image: string;
  nodeName?: string;
  gpus?: number;
  /** Extended resource to request instead of whole GPUs, e.g. nvidia.com/mig-1g.5gb. */
  gpuResource?: string;
  priorityClassName?: string;
  priority?: number;
  serviceAccountName?: string;
  owner?: { kind: string; name: string; apiVersion: string };
  nodeSelector?: Record<string, string>;
}

/** A pod's IP in the cluster's pod range, stable for its name. */
function podIpOf(name: string): string {
  const hash = createHash('md5').update(name).digest();
  return `10.244.${hash[0]}.${hash[1]}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Running pods of one template (a batch job's, a ReplicaSet's), by name and node: the same as
 * `pod()` builds, but sharing everything they have in common (labels, containers, conditions,
 * container statuses), frozen, so that 150,000 of them fit in a fraction of the memory and are
 * built in a fraction of the time. The store never changes an object in place (writes replace
 * it), so nothing needs a pod of its own.
 */
export function podsOfTemplate(
  template: Omit<PodOptions, 'name' | 'nodeName'>,
): (name: string, nodeName: string) => KubeObjectOf<V1Pod> {
  const shared = deepFreeze(pod({ ...template, name: '', nodeName: '-' }));
  return (name, nodeName) => ({
    ...shared,
    metadata: { ...shared.metadata, name },
    spec: { ...shared.spec!, nodeName },
    status: { ...shared.status, podIP: podIpOf(name) },
  });
}

/**
 * A pod as the kubelet reports it: running and ready on its node when it has one, otherwise
 * pending as unschedulable.
 */
export function pod(options: PodOptions): KubeObjectOf<V1Pod> {
  const resource = options.gpuResource ?? 'nvidia.com/gpu';
  const gpuLimits = options.gpus ? { [resource]: String(options.gpus) } : {};
  const scheduled = Boolean(options.nodeName);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: options.labels,
      creationTimestamp: SEED_TIME,
      ...(options.owner
        ? {
            ownerReferences: [
              {
                ...options.owner,
                uid: stableId(options.owner.name),
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }
        : {}),
    },
    spec: {
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
      ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
      serviceAccountName: options.serviceAccountName ?? 'default',
      priorityClassName: options.priorityClassName,
      priority: options.priority ?? 0,
      schedulerName: 'default-scheduler',
      restartPolicy: 'Always',
      securityContext: {
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      tolerations: options.gpus
        ? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]
        : [],
      containers: [
        {
          name: 'main',
          image: options.image,
          resources: {
            requests: {
              cpu: options.gpus ? '4' : '100m',
              memory: options.gpus ? '16Gi' : '128Mi',
              ...gpuLimits,
            },
            limits: { memory: options.gpus ? '16Gi' : '128Mi', ...gpuLimits },
          },
          securityContext: RESTRICTED_CONTAINER_SECURITY,
        },
      ],
    },
    status: scheduled
      ? {
          phase: 'Running',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'True',
              lastTransitionTime: SEED_TIME,
            },
            {
              type: 'Initialized',
              status: 'True',
              lastTransitionTime: SEED_TIME,
            },
            {
              type: 'ContainersReady',
              status: 'True',
              lastTransitionTime: SEED_TIME,
            },
            { type: 'Ready', status: 'True', lastTransitionTime: SEED_TIME },
          ],
          hostIP: '10.0.0.1',
          podIP: podIpOf(options.name),
          startTime: SEED_TIME,
          qosClass: 'Burstable',
          containerStatuses: [
            {
              name: 'main',
              ready: true,
              started: true,
              restartCount: 0,
              image: options.image,
              imageID: options.image.includes('@')
                ? options.image
                : `${options.image}@${digestOf(options.image)}`,
              state: { running: { startedAt: SEED_TIME } },
            },
          ],
        }
      : {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: `0/0 nodes are available: Insufficient ${resource}.`,
              lastTransitionTime: new Date().toISOString(),
            },
          ],
          qosClass: 'Burstable',
        },
  };
}
