export { omnivisionApiRef } from './OmniVisionApi';
export type { OmniVisionApi } from './OmniVisionApi';
export { OmniVisionClient } from './OmniVisionClient';
export { errorReason } from './errorReason';
