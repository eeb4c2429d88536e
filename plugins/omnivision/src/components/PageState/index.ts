export { PageState } from './PageState';
