import type {
  V1Namespace,
  V1PriorityClass,
  V1Secret,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { ClusterSpec } from '../SimulatedCluster';
import { KubeObjectOf, SEED_TIME } from './kubeJson';

/** The namespaces of a simulated cluster, its priority classes and its workloads' identities. */

/** Where the warm pool's placeholders and scalers run. */
export const WARM_POOL_NAMESPACE = 'warm-pool';
/** Where the platform's own workloads (worker, UI) run. */
export const APP_NAMESPACE = 'omnivision';
/** Where the models deployed through the GitOps repository run. */
export const MODELS_NAMESPACE = 'omnivision-models';
/** The priority class of the warm pool's placeholders: preempted by any real workload. */
export const PLACEHOLDER_PRIORITY_CLASS = 'gpu-placeholder';

/** A namespace with its Pod Security admission level enforced. */
export function namespace(
  name: string,
  podSecurity: 'restricted' | 'baseline' | 'privileged',
  extra: Record<string, string> = {},
): KubeObjectOf<V1Namespace> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      creationTimestamp: SEED_TIME,
      labels: {
        'kubernetes.io/metadata.name': name,
        'pod-security.kubernetes.io/enforce': podSecurity,
        'pod-security.kubernetes.io/enforce-version': 'latest',
        ...extra,
      },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** A priority class: what the scheduler preempts for what. */
export function priorityClass(
  name: string,
  value: number,
  description: string,
  preemptionPolicy = 'PreemptLowerPriority',
): KubeObjectOf<V1PriorityClass> {
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name, creationTimestamp: SEED_TIME },
    value,
    globalDefault: false,
    description,
    preemptionPolicy,
  };
}

/** A service account bound to a cloud identity: IRSA (aws) or GKE workload identity (gcp). */
export function serviceAccount(
  spec: ClusterSpec,
  name: string,
  ns: string,
): KubeObjectOf<V1ServiceAccount> {
  const annotations: Record<string, string> =
    spec.cloud === 'aws'
      ? {
          'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/${spec.name}-${name}`,
        }
      : {
          'iam.gke.io/gcp-service-account': `${name}@omnivision-prod.iam.gserviceaccount.com`,
        };
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace: ns,
      annotations,
      creationTimestamp: SEED_TIME,
    },
  };
}

/**
 * A workload's TLS certificate, as cert-manager keeps it: a Secret holding no cloud credential,
 * which the static-key control must let pass. Its values are placeholders.
 */
export function tlsSecret(name: string, ns: string): KubeObjectOf<V1Secret> {
  const placeholder = (what: string) =>
    Buffer.from(`sandbox placeholder, not a real ${what}`).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: ns,
      annotations: { 'cert-manager.io/issuer-name': 'omnivision-ca' },
      creationTimestamp: SEED_TIME,
    },
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': placeholder('certificate'),
      'tls.key': placeholder('private key'),
      'ca.crt': placeholder('CA certificate'),
    },
  };
}
