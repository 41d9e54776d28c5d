export * from './exposure';
export * from './node-port';
export * from './cluster-ip';
export * from './headless';
export * from './access-guide';
