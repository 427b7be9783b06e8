export * from './schema';
export * from './validate';
export * from './limits';
export * from './conventions';
export * from './placement';
export * from './priority-changes';
export * from './warnings';
export * from './outputs';
