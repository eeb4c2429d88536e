export { ReviewActions } from './ReviewActions';
