/**
 * Types and pure domain logic shared by the OmniVision frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './fleet';
export * from './compliance';
export * from './deployments';
export * from './permissions';
