/**
 * The OmniVision pages (new frontend system): fleet status and deployment requests. What other
 * packages share with them (the API client, hooks and components) is in
 * `@internal/plugin-omnivision-react`.
 *
 * @packageDocumentation
 */
export { omnivisionPlugin as default } from './plugin';
