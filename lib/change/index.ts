export * from './command';
export * from './diff';
export * from '../service-map/resource-rules';
export * from './templates';
