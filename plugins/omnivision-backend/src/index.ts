export { omnivisionPlugin as default } from './plugin';
