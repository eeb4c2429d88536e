export { ModelDeploymentsContent } from './ModelDeploymentsContent';
