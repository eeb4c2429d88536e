export * from './modelDeployments';
export * from './DeploymentRequest';
export * from './deploymentPolicy';
export * from './renderValues';
export * from './deploymentCost';
export * from './deploymentBranch';
export * from './deploymentConfig';
export * from './deploymentRequests';
