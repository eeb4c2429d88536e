/**
 * The OmniVision sandbox: a local stand-in for GitHub and for the Kubernetes API servers of a
 * simulated multi-region GPU fleet. Its test helpers are in `@internal/sandbox/testUtils`.
 *
 * @packageDocumentation
 */
export { Sandbox } from './Sandbox';
export type { SandboxOptions } from './Sandbox';
export type { SandboxEndpoints } from './admin/AdminRouter';
export { cloudIdentityEnvironment } from './cloud/cloudIdentityEnvironment';
export type { CloudIdentitySettings } from './cloud/CloudIdentity';
