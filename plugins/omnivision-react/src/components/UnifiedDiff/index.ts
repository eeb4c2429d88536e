export { UnifiedDiff } from './UnifiedDiff';
