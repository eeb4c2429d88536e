import type { V1CronJob, V1Deployment } from '@kubernetes/client-node';
import type { ClusterSpec } from '../SimulatedCluster';
import { digestOf, registryFor } from './images';
import { KubeObjectOf, SEED_TIME } from './kubeJson';
import { WARM_POOL_NAMESPACE } from './namespaces';
import { RESTRICTED_CONTAINER_SECURITY } from './pods';
import { TARGET_GPU_NODES_ANNOTATION } from '@internal/plugin-omnivision-common';

/** The workloads of a simulated cluster: Deployments and the warm pool's CronJobs. */

/** A Deployment whose replicas are all ready and up to date. */
export function deployment(
  name: string,
  ns: string,
  replicas: number,
  labels: Record<string, string>,
  image: string,
  gpus = 0,
  priorityClassName?: string,
): KubeObjectOf<V1Deployment> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: ns,
      labels,
      creationTimestamp: SEED_TIME,
      generation: 1,
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: labels.app } },
      template: {
        metadata: { labels },
        spec: {
          ...(priorityClassName ? { priorityClassName } : {}),
          containers: [
            {
              name: 'main',
              image,
              resources: gpus
                ? { limits: { 'nvidia.com/gpu': String(gpus) } }
                : { requests: { cpu: '100m', memory: '128Mi' } },
              securityContext: RESTRICTED_CONTAINER_SECURITY,
            },
          ],
        },
      },
    },
    status: {
      observedGeneration: 1,
      replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      updatedReplicas: replicas,
    },
  };
}

/** A warm-pool CronJob that scales the GPU node pool to a target, in the cluster's time zone. */
export function cronJob(
  spec: ClusterSpec,
  name: string,
  schedule: string,
  targetNodes: number,
  description: string,
): KubeObjectOf<V1CronJob> {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name,
      namespace: WARM_POOL_NAMESPACE,
      creationTimestamp: SEED_TIME,
      labels: { 'app.kubernetes.io/part-of': 'warm-pool' },
      annotations: {
        [TARGET_GPU_NODES_ANNOTATION]: String(targetNodes),
        'omnivision.ai/description': description,
      },
    },
    spec: {
      schedule,
      timeZone:
        spec.cloud === 'aws' ? 'America/Los_Angeles' : 'Europe/Brussels',
      concurrencyPolicy: 'Forbid',
      jobTemplate: {
        spec: {
          template: {
            spec: {
              serviceAccountName: 'warm-pool-scaler',
              restartPolicy: 'OnFailure',
              containers: [
                {
                  name: 'scale',
                  image: `${registryFor(spec)}/warm-pool-scaler@${digestOf(
                    'warm-pool-scaler',
                  )}`,
                  args: ['--min-gpu-nodes', String(targetNodes)],
                  securityContext: RESTRICTED_CONTAINER_SECURITY,
                },
              ],
            },
          },
        },
      },
    },
    status: {
      lastScheduleTime: '2026-11-22T08:00:00Z',
      lastSuccessfulTime: '2026-11-22T08:01:12Z',
    },
  };
}
