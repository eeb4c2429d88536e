export { ApprovalGate } from './ApprovalGate';
