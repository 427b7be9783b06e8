import type { Logger } from '@aws-lambda-powertools/logger';

/** The part of the Powertools Logger the authorizer uses (tests pass their own). */
export type AuthorizerLog = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'> & { readonly level: number };

type LogLevel = NonNullable<ConstructorParameters<typeof Logger>[0]>['logLevel'];

/** Powertools level thresholds: checking them first keeps a disabled log line free (no object built). */
const LEVELS: Readonly<Record<string, number>> = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 };
export const DEBUG = LEVELS.DEBUG;
export const INFO = LEVELS.INFO;

const levelNamed = (name: string | undefined) => (name !== undefined && Object.hasOwn(LEVELS, name) ? LEVELS[name] : undefined);

/**
 * The level the Powertools Logger will settle on for this environment, worked out without loading it:
 * Lambda's advanced logging controls (`AWS_LAMBDA_LOG_LEVEL`) first, then `POWERTOOLS_LOG_LEVEL`, then
 * `LOG_LEVEL`, else INFO. `undefined` when debug sampling (`POWERTOOLS_LOGGER_SAMPLE_RATE`) may raise
 * it at random: then only Powertools can say. A test holds this to what Powertools itself decides.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  if (Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE?.trim() || 0) !== 0) return undefined;
  const alc = env.AWS_LAMBDA_LOG_LEVEL?.trim();
  return (
    levelNamed(alc === 'FATAL' ? 'CRITICAL' : alc) ??
    levelNamed(env.POWERTOOLS_LOG_LEVEL?.trim() || env.LOG_LEVEL?.trim()) ??
    INFO
  );
}

/**
 * The Powertools Logger, loaded when the first line at an enabled level is written. Loading and setting
 * it up (it opens stdout) adds about 1 ms to a cold start (0.6-1.9 ms, measured on Node 20 and 24),
 * which a cold start whose first request is allowed need not pay at the default INFO level. Until
 * then `level` is `logLevelFromEnv`, read when the log is created.
 */
export function powertoolsLog(serviceName: string, env: NodeJS.ProcessEnv = process.env): AuthorizerLog {
  let logger: Logger | undefined;
  const load = (): Logger => {
    if (!logger) {
      // A require, not an import: in the bundle this loads logger.js, only now (see powertools.ts).
      const { Logger: PowertoolsLogger } = require('./powertools') as typeof import('./powertools');
      // The level worked out now, not the environment at the first line, and the same one Powertools
      // would pick (Lambda's advanced logging controls still take precedence inside Powertools).
      const logLevel = Object.keys(LEVELS).find((name) => LEVELS[name] === predicted) as LogLevel | undefined;
      logger = new PowertoolsLogger({ serviceName, logLevel });
    }
    return logger;
  };
  const predicted = logLevelFromEnv(env);
  if (predicted === undefined) load();
  const level = () => logger?.level ?? predicted!;
  const method =
    (name: 'debug' | 'info' | 'warn' | 'error', threshold: number) =>
    (input: Parameters<Logger['info']>[0]) => {
      if (level() <= threshold) load()[name](input);
    };
  return {
    get level() {
      return level();
    },
    debug: method('debug', DEBUG),
    info: method('info', INFO),
    warn: method('warn', LEVELS.WARN),
    error: method('error', LEVELS.ERROR),
  };
}
