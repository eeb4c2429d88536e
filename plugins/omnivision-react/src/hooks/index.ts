export { DEFAULT_POLL_INTERVAL_MS, usePolledValue } from './usePolledValue';
export type { PolledValue } from './usePolledValue';
export { useRequestPath } from './useRequestPath';
export { usePolledFleet } from './usePolledFleet';
