import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as AuthorizerModule from '../../../lambda/authorizer/index';
import type { AuthorizerLog } from '../../../lambda/authorizer/log';
import { bundleAuthorizer } from '../../../scripts/bundle-authorizer';
import { AUDIENCE, ISSUER } from './tokens';

export type { AuthorizerModule };

/**
 * The tests run the bundle that ships, not the sources: jose is ESM-only and Jest's module system
 * cannot load it, and this way the minified, tree-shaken artifact is what gets verified.
 */
export async function bundleInto(dir: string): Promise<string> {
  return (await bundleAuthorizer(dir)).file;
}

let loaded: typeof AuthorizerModule | undefined;

/** The bundled module, built once per test file. Its own env-built instance stays silent. */
export async function authorizerModule(): Promise<typeof AuthorizerModule> {
  if (!loaded) {
    const file = await bundleInto(mkdtempSync(join(tmpdir(), 'authorizer-test-')));
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    try {
      loaded = require(file) as typeof AuthorizerModule;
    } finally {
      if (level === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
      else process.env.POWERTOOLS_LOG_LEVEL = level;
    }
  }
  return loaded;
}

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly [key: string]: unknown;
}

/** A logger that records what it is given; `level` follows the Powertools thresholds (8 = DEBUG). */
export function recordingLog(level = 8): { log: AuthorizerLog; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (name: LogEntry['level']) => (input: unknown) =>
    entries.push({ level: name, ...(typeof input === 'string' ? { message: input } : (input as object)) });
  const log = { level, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log: log as unknown as AuthorizerLog, entries };
}

/** Writes a route-scopes.json (the construct's contract) into a fresh folder and returns its path. */
export function routeScopesFile(routes: Record<string, string[]> | string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'route-scopes-')), 'route-scopes.json');
  writeFileSync(file, typeof routes === 'string' ? routes : JSON.stringify(routes));
  return file;
}

export const ROUTES = {
  'ANY /live-reading': ['reading:read'],
  'ANY /live-reading/{proxy+}': ['reading:read'],
  'ANY /grades': ['grades:read', 'grades:write'],
  'ANY /payment': [],
};

/** The environment the construct sets, pointing at a test JWKS server. */
export function env(jwksUri: string, routesPath: string, extra: Record<string, string | undefined> = {}) {
  return {
    JWKS_URI: jwksUri,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: `other-api, ${AUDIENCE}`,
    ROUTE_SCOPES_PATH: routesPath,
    ...extra,
  };
}

/** A controllable clock in milliseconds, starting at the real time so signed `iat`s look normal. */
export class Clock {
  ms = Date.now();
  readonly now = () => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
