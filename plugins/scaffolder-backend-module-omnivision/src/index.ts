/**
 * Scaffolder actions of the OmniVision deploy flow.
 *
 * @packageDocumentation
 */
export { scaffolderModuleOmniVision as default } from './module';
