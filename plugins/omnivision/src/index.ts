/**
 * The OmniVision status pages (new frontend system).
 *
 * @packageDocumentation
 */
export { omnivisionPlugin as default } from './plugin';
export { omnivisionApiRef, OmniVisionClient } from './api';
export type { OmniVisionApi } from './api';
