export { HeadroomChart } from './HeadroomChart';
