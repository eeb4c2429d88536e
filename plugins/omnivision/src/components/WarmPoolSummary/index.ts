export { WarmPoolSummary, percent } from './WarmPoolSummary';
