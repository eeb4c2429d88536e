/**
 * Backend library of the OmniVision plugins, shared by the omnivision backend and the scaffolder
 * actions: what the deployment policy needs besides the request, the plan of a request, and the
 * portal's GitHub access to the GitOps repository.
 *
 * @packageDocumentation
 */
export * from './DeploymentConfig';
export * from './DeploymentContextLoader';
export * from './DeploymentPlanner';
export * from './GitHubClient';
export * from './GitOpsRepository';
