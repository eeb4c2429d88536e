export { ImageVersion } from './ImageVersion';
