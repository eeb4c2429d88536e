export { ModelPullRequests } from './ModelPullRequests';
