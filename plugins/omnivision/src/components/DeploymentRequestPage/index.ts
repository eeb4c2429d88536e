export { DeploymentRequestPage } from './DeploymentRequestPage';
