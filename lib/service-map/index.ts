export * from './schema';
export * from './validate';
export * from './limits';
export * from './conventions';
export * from './warnings';
export * from './outputs';
