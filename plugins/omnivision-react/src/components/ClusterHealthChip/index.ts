export { ClusterHealthChip, formatAge } from './ClusterHealthChip';
