export { ClusterHealthChip, formatAge } from './ClusterHealthChip';
export { REACHABILITY_COLOR, clusterReachability } from './clusterReachability';
export type { ClusterReachability } from './clusterReachability';
