/**
 * Backend library of the OmniVision plugins, for the omnivision backend and the scaffolder
 * actions: services by service ref (the deployment planner, the GitOps repository's pull requests,
 * the backend's deployment requests) and the classes behind them.
 *
 * @packageDocumentation
 */
export * from './planner/DeploymentConfig';
export * from './planner/DeploymentContextLoader';
export * from './planner/DeploymentPlanner';
export * from './planner/deploymentPlannerServiceRef';
export * from './gitops/GitOpsRepository';
export * from './gitops/GitOpsPullRequest';
export * from './gitops/GitOpsPullRequests';
export * from './gitops/ConditionalRequestCache';
export * from './gitops/GitHubRateLimits';
export type {
  PullRequestContent,
  PullRequestFile,
} from './gitops/openOrUpdatePullRequest';
export * from './gitops/gitOpsPullRequestsServiceRef';
export * from './requests/DeploymentRequestsService';
export * from './requests/DefaultDeploymentRequestsService';
export * from './requests/deploymentRequestsServiceRef';
