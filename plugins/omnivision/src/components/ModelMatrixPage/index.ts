export { ModelMatrixPage } from './ModelMatrixPage';
