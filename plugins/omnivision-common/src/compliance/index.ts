export * from './ComplianceSnapshot';
export * from './complianceControls';
export * from './computeCompliance';
