export * from './ComplianceSnapshot';
export * from './computeCompliance';
