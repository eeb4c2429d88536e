export * from './ClusterSnapshot';
export * from './clusterStatus';
export * from './cronSchedule';
export * from './warmPool';
export * from './gpuNodeTable';
export * from './clusterFigures';
export * from './FleetStatus';
export * from './regionalAvailability';
