/**
 * What the OmniVision frontend packages share: the API client and its ref, the hooks and the
 * shared components.
 *
 * @packageDocumentation
 */
export {};
