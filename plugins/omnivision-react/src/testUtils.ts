/**
 * Test helpers of the OmniVision frontend packages: a signal API whose messages the test sends.
 *
 * @packageDocumentation
 */
export { MockSignalApi } from './testing/MockSignalApi';
