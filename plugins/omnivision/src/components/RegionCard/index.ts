export { RegionCard } from './RegionCard';
