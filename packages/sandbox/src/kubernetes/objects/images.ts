import { createHash } from 'node:crypto';
import type { ClusterSpec } from '../SimulatedCluster';

/** The image of the warm pool's placeholder (pause) pods. */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.9';

/** A stable fake digest for an image name, so the same image always has the same digest. */
export function digestOf(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The container registry of a cluster's cloud and region (ECR or Artifact Registry). */
export function registryFor(spec: ClusterSpec): string {
  return spec.cloud === 'aws'
    ? `123456789012.dkr.ecr.${spec.region}.amazonaws.com`
    : `${spec.region}-docker.pkg.dev/omnivision-prod/omnivision`;
}
