export { GpuInventory } from './GpuInventory';
