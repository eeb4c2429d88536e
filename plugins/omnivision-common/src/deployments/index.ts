export * from './modelDeployments';
