export { ControlStatusChip } from './ControlStatusChip';
