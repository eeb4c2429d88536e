/**
 * Scaffolder form fields of the OmniVision deploy flow.
 *
 * @packageDocumentation
 */
export { scaffolderModuleOmniVision as default } from './module';
