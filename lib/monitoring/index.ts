export * from './gateway-monitoring';
export * from './gateway-alarms';
export * from './service-alarms';
export * from '../plan/thresholds';
export * from './metrics';
