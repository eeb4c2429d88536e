export { ComplianceSummaryChip } from './ComplianceSummaryChip';
