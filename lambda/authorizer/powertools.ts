/**
 * The Powertools logger, behind a module of its own so that `log.ts` can `require` it when the first
 * line is written: the bundle then evaluates it only at that point, and still tree-shakes the package's
 * ES build (a `require` of the package itself would pull in its whole CommonJS build).
 */
export { Logger } from '@aws-lambda-powertools/logger';
