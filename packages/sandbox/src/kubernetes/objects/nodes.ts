import type {
  V1Node,
  V1NodeCondition,
  V1NodeSystemInfo,
} from '@kubernetes/client-node';
import { PLACEMENT_LABEL } from '@internal/plugin-omnivision-common';
import type { ClusterSpec } from '../SimulatedCluster';
import type { GpuNodeShape } from '../gpuCatalog';
import { Json, KubeObjectOf, SEED_TIME, stableId } from './kubeJson';

/** Nodes of a simulated GPU cluster, as EKS and GKE and the kubelet report them. */

function zoneOf(spec: ClusterSpec, index: number): string {
  const zones = spec.cloud === 'aws' ? ['a', 'b', 'c'] : ['b', 'c', 'd'];
  return `${spec.region}${spec.cloud === 'aws' ? '' : '-'}${
    zones[index % zones.length]
  }`;
}

/** A node's name as each cloud names it: an EC2 private DNS name or a GKE instance name. */
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

function readyConditions(ready = true): Json<V1NodeCondition>[] {
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
function nodeInfo(spec: ClusterSpec, name: string): Json<V1NodeSystemInfo> {
  const id = (prefix: string) => stableId(`${prefix}-${name}`);
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

/** The index-th GPU node of a shape: GPU Feature Discovery labels, capacity, Ready. */
export function gpuNode(
  spec: ClusterSpec,
  shape: GpuNodeShape,
  index: number,
): KubeObjectOf<V1Node> {
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
          ? `aws:///${zone}/i-0${stableId(name).slice(0, 16)}`
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

/** The index-th system (CPU) node, in the cloud's system node group. */
export function systemNode(
  spec: ClusterSpec,
  index: number,
): KubeObjectOf<V1Node> {
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
          ? { [PLACEMENT_LABEL.aws]: 'system' }
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
