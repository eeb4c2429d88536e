/** A fault the admin API injects into one simulated API server. */
export type ClusterFault =
  | { mode: 'down' }
  | { mode: 'hang' }
  | { mode: 'latency'; latencyMs: number }
  | { mode: 'status'; status: number; resource?: string };

/** Parses the body of `POST /sandbox/clusters/<name>/faults`, or throws with the reason. */
export function parseClusterFault(body: unknown): ClusterFault {
  const b = (body ?? {}) as Record<string, unknown>;
  switch (b.mode) {
    case 'down':
      return { mode: 'down' };
    case 'hang':
      return { mode: 'hang' };
    case 'latency': {
      const latencyMs = Number(b.latencyMs);
      if (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 600_000) {
        throw new Error(
          'latency needs "latencyMs", a number of milliseconds from 0 to 600000',
        );
      }
      return { mode: 'latency', latencyMs };
    }
    case 'status': {
      const status = b.status === undefined ? 503 : Number(b.status);
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new Error(
          'status needs "status", an HTTP error code from 400 to 599',
        );
      }
      if (b.resource !== undefined && typeof b.resource !== 'string') {
        throw new Error('"resource" must be a resource plural such as "pods"');
      }
      return {
        mode: 'status',
        status,
        resource: b.resource as string | undefined,
      };
    }
    default:
      throw new Error('"mode" must be one of down, hang, latency, status');
  }
}
