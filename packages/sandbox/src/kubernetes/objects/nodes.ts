import { createHash } from 'node:crypto';
import type { KubeObject } from './resources';
import type { Cloud, ClusterSpec } from './SimulatedCluster';
import { GPU_NODE_SHAPES, GpuNodeShape, PLACEMENT_LABEL } from './gpuCatalog';

/** Builders for the objects of a simulated GPU cluster, each valid against the API's schema. */

export const WARM_POOL_NAMESPACE = 'warm-pool';
export const APP_NAMESPACE = 'omnivision';
export const MODELS_NAMESPACE = 'omnivision-models';
export const PLACEHOLDER_PRIORITY_CLASS = 'gpu-placeholder';
export const MODEL_PRIORITY_CLASS = 'omnivision-model';
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.9';

const SEED_TIME = '2026-11-01T08:00:00Z';

/** A stable fake digest for an image name, so the same image always has the same digest. */
export function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export function registryFor(spec: ClusterSpec): string {
  return spec.cloud === 'aws'
    ? `123456789012.dkr.ecr.${spec.region}.amazonaws.com`
    : `${spec.region}-docker.pkg.dev/omnivision-prod/omnivision`;
}

function zoneOf(spec: ClusterSpec, index: number): string {
  const zones = spec.cloud === 'aws' ? ['a', 'b', 'c'] : ['b', 'c', 'd'];
  return `${spec.region}${spec.cloud === 'aws' ? '' : '-'}${
    zones[index % zones.length]
  }`;
}

export function nodeName(
  spec: ClusterSpec,
  pool: string,
  index: number,
): string {
  return spec.cloud === 'aws'
    ? `ip-10-${(index >> 8) & 255}-${index & 255}-${(index * 7) % 250}.${
        spec.region
      }.compute.internal`
    : `gke-${spec.name}-${pool}-${(index + 4096).toString(16)}`;
}

function readyConditions(ready = true) {
  const t = SEED_TIME;
  return [
    {
      type: 'MemoryPressure',
      status: 'False',
      reason: 'KubeletHasSufficientMemory',
      message: 'kubelet has sufficient memory available',
      lastHeartbeatTime: t,
      lastTransitionTime: t,
    },
    {
      type: 'DiskPressure',
      status: 'False',
      reason: 'KubeletHasNoDiskPressure',
      message: 'kubelet has no disk pressure',
      lastHeartbeatTime: t,
      lastTransitionTime: t,
    },
    {
      type: 'PIDPressure',
      status: 'False',
      reason: 'KubeletHasSufficientPID',
      message: 'kubelet has sufficient PID available',
      lastHeartbeatTime: t,
      lastTransitionTime: t,
    },
    ready
      ? {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
        }
      : {
          type: 'Ready',
          status: 'False',
          reason: 'KubeletNotReady',
          message: 'container runtime network not ready',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
        },
  ];
}

/** What the kubelet reports of its machine: the same OS image and versions on every node of a cluster. */
function nodeInfo(spec: ClusterSpec, name: string) {
  const id = (prefix: string) =>
    createHash('md5').update(`${prefix}-${name}`).digest('hex');
  return {
    machineID: id('m'),
    systemUUID: id('s'),
    bootID: id('b'),
    kernelVersion:
      spec.cloud === 'aws' ? '6.1.112-122.189.amzn2023.x86_64' : '6.1.100+',
    osImage:
      spec.cloud === 'aws'
        ? 'Amazon Linux 2023.6.20241031'
        : 'Container-Optimized OS from Google',
    containerRuntimeVersion: 'containerd://1.7.22',
    kubeletVersion: spec.kubernetesVersion,
    kubeProxyVersion: spec.kubernetesVersion,
    operatingSystem: 'linux',
    architecture: 'amd64',
  };
}

export function gpuNode(
  spec: ClusterSpec,
  shape: GpuNodeShape,
  index: number,
): KubeObject {
  const name = nodeName(spec, shape.placement, index);
  const zone = zoneOf(spec, index);
  const labels: Record<string, string> = {
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/os': 'linux',
    'kubernetes.io/hostname': name,
    'node.kubernetes.io/instance-type': shape.instanceType,
    'topology.kubernetes.io/region': spec.region,
    'topology.kubernetes.io/zone': zone,
    'nvidia.com/gpu.present': 'true',
    'nvidia.com/gpu.product': shape.product,
    'nvidia.com/gpu.count': String(shape.gpus),
    'nvidia.com/gpu.memory': String(shape.gpuMemoryMiB),
    [PLACEMENT_LABEL[spec.cloud]]: shape.placement,
  };
  if (spec.cloud === 'gcp')
    labels['cloud.google.com/gke-nodepool'] = `pool-${shape.placement}${
      shape.mig ? '-mig' : ''
    }`;
  const resources: Record<string, string> = {
    cpu: '96',
    memory: '1176Gi',
    pods: '110',
    'ephemeral-storage': '500Gi',
    'nvidia.com/gpu': String(shape.gpus),
  };
  if (shape.mig) {
    labels['nvidia.com/mig.strategy'] = 'mixed';
    labels['nvidia.com/mig.config'] = `all-${shape.mig.profile}`;
    labels[`nvidia.com/mig-${shape.mig.profile}.count`] = String(
      shape.gpus * shape.mig.perGpu,
    );
    resources['nvidia.com/gpu'] = '0';
    resources[`nvidia.com/mig-${shape.mig.profile}`] = String(
      shape.gpus * shape.mig.perGpu,
    );
  }
  const allocatable = { ...resources, cpu: '95690m', memory: '1150Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels,
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
      creationTimestamp: SEED_TIME,
    },
    spec: {
      providerID:
        spec.cloud === 'aws'
          ? `aws:///${zone}/i-0${createHash('md5')
              .update(name)
              .digest('hex')
              .slice(0, 16)}`
          : `gce://omnivision-prod/${zone}/${name}`,
      taints: [
        { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
      ],
    },
    status: {
      capacity: resources,
      allocatable,
      conditions: readyConditions(),
      addresses: [
        {
          type: 'InternalIP',
          address: `10.${(index >> 8) & 255}.${index & 255}.${
            (index * 7) % 250
          }`,
        },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: nodeInfo(spec, name),
    },
  };
}

export function systemNode(spec: ClusterSpec, index: number): KubeObject {
  const name = nodeName(spec, 'system', 60000 + index);
  const zone = zoneOf(spec, index);
  const resources = {
    cpu: '16',
    memory: '64Gi',
    pods: '110',
    'ephemeral-storage': '200Gi',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      creationTimestamp: SEED_TIME,
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'node.kubernetes.io/instance-type':
          spec.cloud === 'aws' ? 'm6i.4xlarge' : 'n2-standard-16',
        'topology.kubernetes.io/region': spec.region,
        'topology.kubernetes.io/zone': zone,
        ...(spec.cloud === 'aws'
          ? { 'eks.amazonaws.com/nodegroup': 'system' }
          : { 'cloud.google.com/gke-nodepool': 'system' }),
      },
    },
    spec: {},
    status: {
      capacity: resources,
      allocatable: { ...resources, cpu: '15890m', memory: '62Gi' },
      conditions: readyConditions(),
      addresses: [{ type: 'Hostname', address: name }],
      nodeInfo: nodeInfo(spec, name),
    },
  };
}

export function namespace(
  name: string,
  podSecurity: 'restricted' | 'baseline' | 'privileged',
  extra: Record<string, string> = {},
): KubeObject {
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

export function priorityClass(
  name: string,
  value: number,
  description: string,
  preemptionPolicy = 'PreemptLowerPriority',
): KubeObject {
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

/** The restricted-profile security context every application container runs with. */
export const RESTRICTED_CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

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

export function pod(options: PodOptions): KubeObject {
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
                uid: createHash('md5').update(options.owner.name).digest('hex'),
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
          podIP: `10.244.${
            createHash('md5').update(options.name).digest()[0]
          }.${createHash('md5').update(options.name).digest()[1]}`,
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

export function deployment(
  name: string,
  ns: string,
  replicas: number,
  labels: Record<string, string>,
  image: string,
  gpus = 0,
  priorityClassName?: string,
): KubeObject {
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

export function cronJob(
  spec: ClusterSpec,
  name: string,
  schedule: string,
  targetNodes: number,
  description: string,
): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name,
      namespace: WARM_POOL_NAMESPACE,
      creationTimestamp: SEED_TIME,
      labels: { 'app.kubernetes.io/part-of': 'warm-pool' },
      annotations: {
        'omnivision.ai/target-gpu-nodes': String(targetNodes),
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

export function serviceAccount(
  spec: ClusterSpec,
  name: string,
  ns: string,
): KubeObject {
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

export function peerAuthentication(
  name: string,
  ns: string,
  mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE',
): KubeObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name, namespace: ns, creationTimestamp: SEED_TIME },
    spec: { mtls: { mode } },
  };
}

export function hipaaPolicy(action: 'Enforce' | 'Audit'): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: 'require-hipaa-compliant-label',
      creationTimestamp: SEED_TIME,
      annotations: {
        'policies.kyverno.io/title': 'Require hipaa-compliant=true',
        'policies.kyverno.io/category': 'HIPAA',
      },
    },
    spec: {
      validationFailureAction: action,
      background: true,
      rules: [
        {
          name: 'check-hipaa-compliant-label',
          match: {
            any: [
              {
                resources: {
                  kinds: ['Pod'],
                  namespaces: [APP_NAMESPACE, MODELS_NAMESPACE],
                },
              },
            ],
          },
          validate: {
            message:
              'Pods handling patient data must carry the label hipaa-compliant=true.',
            pattern: { metadata: { labels: { 'hipaa-compliant': 'true' } } },
          },
        },
      ],
    },
    status: {
      ready: true,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: 'Ready',
          lastTransitionTime: SEED_TIME,
        },
      ],
    },
  };
}

export function imageSignaturePolicy(spec: ClusterSpec): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: {
      name: 'verify-image-signatures',
      creationTimestamp: SEED_TIME,
      annotations: {
        'policies.kyverno.io/title': 'Verify image signatures (cosign)',
      },
    },
    spec: {
      validationFailureAction: 'Enforce',
      background: false,
      webhookTimeoutSeconds: 30,
      rules: [
        {
          name: 'verify-cosign-signature',
          match: { any: [{ resources: { kinds: ['Pod'] } }] },
          verifyImages: [
            {
              imageReferences: [`${registryFor(spec)}/*`],
              mutateDigest: true,
              verifyDigest: true,
              attestors: [
                {
                  entries: [
                    {
                      keys: {
                        publicKeys:
                          '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE(omnivision-cosign)\n-----END PUBLIC KEY-----',
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    status: { ready: true },
  };
}

export function policyReport(
  ns: string,
  pods: KubeObject[],
  failing: string[] = [],
): KubeObject {
  const results = pods.map(p => {
    const fail = failing.includes(p.metadata.name);
    return {
      policy: 'require-hipaa-compliant-label',
      rule: 'check-hipaa-compliant-label',
      result: fail ? 'fail' : 'pass',
      message: fail
        ? 'validation error: Pods handling patient data must carry the label hipaa-compliant=true.'
        : 'validation rule passed',
      scored: true,
      severity: 'high',
      source: 'kyverno',
      timestamp: { seconds: 1763798400, nanos: 0 },
      resources: [
        { apiVersion: 'v1', kind: 'Pod', name: p.metadata.name, namespace: ns },
      ],
    };
  });
  const fail = results.filter(r => r.result === 'fail').length;
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'PolicyReport',
    metadata: {
      name: `polr-ns-${ns}`,
      namespace: ns,
      creationTimestamp: SEED_TIME,
      labels: { 'app.kubernetes.io/managed-by': 'kyverno' },
    },
    scope: { apiVersion: 'v1', kind: 'Namespace', name: ns },
    results,
    summary: { pass: results.length - fail, fail, warn: 0, error: 0, skip: 0 },
  };
}

export interface Vulnerability {
  vulnerabilityID: string;
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  resource: string;
  installedVersion: string;
  fixedVersion: string;
  title: string;
}

export function vulnerabilityReport(
  ns: string,
  workload: string,
  image: string,
  vulnerabilities: Vulnerability[] = [],
): KubeObject {
  const [repository, digest] = image.split('@');
  const slash = repository.indexOf('/');
  const count = (s: string) =>
    vulnerabilities.filter(v => v.severity === s).length;
  return {
    apiVersion: 'aquasecurity.github.io/v1alpha1',
    kind: 'VulnerabilityReport',
    metadata: {
      name: `replicaset-${workload}-main`,
      namespace: ns,
      creationTimestamp: SEED_TIME,
      labels: {
        'trivy-operator.resource.kind': 'ReplicaSet',
        'trivy-operator.resource.name': workload,
        'trivy-operator.resource.namespace': ns,
        'trivy-operator.container.name': 'main',
      },
    },
    report: {
      updateTimestamp: SEED_TIME,
      scanner: { name: 'Trivy', vendor: 'Aqua Security', version: '0.56.2' },
      registry: { server: repository.slice(0, slash) },
      artifact: {
        repository: repository.slice(slash + 1),
        digest: digest ?? '',
      },
      os: { family: 'debian', name: '12.7' },
      summary: {
        criticalCount: count('CRITICAL'),
        highCount: count('HIGH'),
        mediumCount: count('MEDIUM'),
        lowCount: count('LOW'),
        unknownCount: 0,
        noneCount: 0,
      },
      vulnerabilities: vulnerabilities.map(v => ({
        ...v,
        score: v.severity === 'CRITICAL' ? 9.8 : 7.5,
        primaryLink: `https://avd.aquasec.com/nvd/${v.vulnerabilityID.toLowerCase()}`,
        links: [],
      })),
    },
  };
}

/** The cloud label used to steer pods onto a placement (node group or accelerator). */
export function placementSelector(
  cloud: Cloud,
  placement: string,
): Record<string, string> {
  return { [PLACEMENT_LABEL[cloud]]: placement };
}

export { GPU_NODE_SHAPES };
