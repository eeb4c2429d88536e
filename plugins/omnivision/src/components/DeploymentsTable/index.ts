export { DeploymentsTable } from './DeploymentsTable';
