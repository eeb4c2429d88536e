export * from './ClusterSnapshot';
export * from './clusterStatus';
export * from './cronSchedule';
export * from './warmPool';
