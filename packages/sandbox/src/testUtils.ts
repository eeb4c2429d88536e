/**
 * Test helpers of the OmniVision sandbox, for other packages' tests
 * (`@internal/sandbox/testUtils`): a sandbox per test file, waiting for what it does over time,
 * the portal's GitHub App integration for it, and changes to its GitOps repository through the
 * GitHub API.
 *
 * @packageDocumentation
 */
export { startTestSandbox, trustingFetch } from './testing/startTestSandbox';
export type { TrustingFetchInit } from './testing/startTestSandbox';
export { eventually } from './testing/eventually';
export { portalGitHubIntegration } from './testing/portalGitHubIntegration';
export type { EventuallyOptions } from './testing/eventually';
export {
  asPortal,
  commitFiles,
  mergeFiles,
  postPortalApproval,
  repositoryState,
} from './testing/gitOpsChanges';
export type { RepoRef, RepositoryReader } from './testing/gitOpsChanges';
export { mergeModelValues, modelValues } from './testing/modelDeploys';
export type {
  ModelValues,
  SandboxGitHubEndpoints,
} from './testing/modelDeploys';
export { cloudIdentityEnvironment } from './cloud/cloudIdentityEnvironment';
