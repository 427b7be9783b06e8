import type { Logger } from '@aws-lambda-powertools/logger';

/** The part of the Powertools Logger the authorizer uses (tests pass their own). */
export type AuthorizerLog = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'> & { readonly level: number };

/** Powertools level thresholds: checking them first keeps a disabled log line free (no object built). */
export const DEBUG = 8;
export const INFO = 12;
