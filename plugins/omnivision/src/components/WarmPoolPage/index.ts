export { WarmPoolPage } from './WarmPoolPage';
