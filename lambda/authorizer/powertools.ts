/**
 * The Powertools logger, as a module of its own: the bundle build makes it `logger.js` beside `index.js`
 * (scripts/bundle-authorizer.ts), and `log.ts` requires it when it writes its first line, so a cold start
 * that writes nothing never reads or compiles it. Importing the package here, as an ES module, keeps its
 * ES build tree-shaken to the Logger.
 */
export { Logger } from '@aws-lambda-powertools/logger';
