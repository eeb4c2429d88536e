/**
 * The OmniVision Portal's permission policy, as a module of the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModuleOmniVisionPolicy as default } from './module';
export * from './OmniVisionPermissionPolicy';
