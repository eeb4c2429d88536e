/**
 * The OmniVision pages (new frontend system): fleet status and deployment requests.
 *
 * @packageDocumentation
 */
export { omnivisionPlugin as default } from './plugin';
export { omnivisionApiRef, OmniVisionClient } from './api';
export type { OmniVisionApi } from './api';
export { UnifiedDiff } from './components/UnifiedDiff';
