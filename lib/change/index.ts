export * from './command';
export * from './diff';
export * from './rules';
export * from './templates';
