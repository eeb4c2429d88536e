export { RequestStateChip, REQUEST_STATES } from './RequestStateChip';
