import { createHash } from 'node:crypto';
import type { SimulatedCluster } from '../kubernetes/SimulatedCluster';
import { KubeObject, resourceTypeOfKind } from '../kubernetes/resources';
import { gpuRequestOf } from '../sync/GpuScheduler';
import type { ImageFaults } from './ImageFaults';

const PODS = resourceTypeOfKind('Pod');
const NODES = resourceTypeOfKind('Node');

/** One time series: its labels (`__name__` included) and its value at a time (ms). */
export interface Series {
  labels: Record<string, string>;
  valueAt(time: number): number;
}

/** The series a query reads: every series of a cluster at the time of the query. */
export type SeriesSource = () => Series[];

function digestOfPod(pod: KubeObject): string | undefined {
  const status = pod.status as
    | { containerStatuses?: Array<{ imageID?: string }> }
    | undefined;
  const spec = pod.spec as { containers?: Array<{ image?: string }> };
  const refs = [
    ...(status?.containerStatuses ?? []).map(c => c.imageID),
    ...(spec?.containers ?? []).map(c => c.image),
  ];
  for (const ref of refs) {
    const match = /@(sha256:[0-9a-f]{64})$/.exec(ref ?? '');
    if (match) return match[1];
  }
  return undefined;
}

function hashByte(text: string, index = 0) {
  return createHash('md5').update(text).digest()[index];
}

/**
 * The DCGM exporter's metrics of a cluster's running GPU pods, one series per GPU as
 * dcgm-exporter labels them (gpu, UUID, device, modelName, Hostname, and the pod's namespace, pod
 * and container): `DCGM_FI_DEV_XID_ERRORS`, a counter of CUDA faults that grows at the rate of
 * the pod's image's fault from the fault's setting (on the pod's first GPU), and
 * `DCGM_FI_DEV_GPU_UTIL`, a steady utilisation gauge from 55 to 94 %.
 */
export function dcgmSeries(
  cluster: SimulatedCluster,
  faults: ImageFaults,
): Series[] {
  const products = new Map(
    cluster.store
      .all(NODES)
      .map(n => [
        n.metadata.name,
        n.metadata.labels?.['nvidia.com/gpu.product'] ?? 'NVIDIA GPU',
      ]),
  );
  const series: Series[] = [];
  for (const pod of cluster.store.all(PODS)) {
    const nodeName = (pod.spec as { nodeName?: string })?.nodeName;
    const running = (pod.status as { phase?: string })?.phase === 'Running';
    const request = gpuRequestOf(pod);
    if (!nodeName || !running || !request) continue;
    const container =
      (pod.spec as { containers?: Array<{ name?: string }> }).containers?.[0]
        ?.name ?? '';
    const digest = digestOfPod(pod);
    const fault = digest ? faults.get(digest) : undefined;
    const started = Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
    const gpus = Math.max(1, Math.floor(request.count) || 1);
    for (let gpu = 0; gpu < gpus; gpu++) {
      const uuid = createHash('md5').update(`${nodeName}/${gpu}`).digest('hex');
      const labels = {
        gpu: String(gpu),
        UUID: `GPU-${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(
          12,
          16,
        )}-${uuid.slice(16, 20)}-${uuid.slice(20, 32)}`,
        device: `nvidia${gpu}`,
        modelName: products.get(nodeName) ?? 'NVIDIA GPU',
        Hostname: nodeName,
        namespace: pod.metadata.namespace ?? '',
        pod: pod.metadata.name,
        container,
      };
      const since = fault ? Math.max(fault.since, started) : 0;
      const perMs = fault && gpu === 0 ? fault.cudaErrorsPerMinute / 60_000 : 0;
      series.push({
        labels: { __name__: 'DCGM_FI_DEV_XID_ERRORS', ...labels },
        valueAt: time => perMs * Math.max(0, time - since),
      });
      const utilisation = 55 + (hashByte(`${pod.metadata.name}/${gpu}`) % 40);
      series.push({
        labels: { __name__: 'DCGM_FI_DEV_GPU_UTIL', ...labels },
        valueAt: () => utilisation,
      });
    }
  }
  return series;
}
