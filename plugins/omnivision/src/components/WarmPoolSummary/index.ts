export { WarmPoolSummary, formatInZone, percent } from './WarmPoolSummary';
