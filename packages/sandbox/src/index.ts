/**
 * The OmniVision sandbox: a local stand-in for GitHub and for the Kubernetes API servers of a
 * simulated multi-region GPU fleet.
 *
 * @packageDocumentation
 */
export { Sandbox } from './Sandbox';
export type { SandboxOptions } from './Sandbox';
export type { SandboxEndpoints } from './admin/AdminRouter';
export { startTestSandbox, eventually } from './testing/startTestSandbox';
export {
  commitFiles,
  mergeFiles,
  repositoryState,
} from './testing/gitOpsChanges';
