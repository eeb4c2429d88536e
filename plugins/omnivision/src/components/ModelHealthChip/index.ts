export { MODEL_HEALTH_LABEL, ModelHealthChip } from './ModelHealthChip';
