export { FleetPageContent } from './FleetPageContent';
