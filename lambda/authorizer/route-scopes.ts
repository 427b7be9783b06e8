import { readFileSync } from 'node:fs';

/** Route key (`ANY /live-reading/{proxy+}`) to the scopes a token must all carry. */
export type RouteScopes = ReadonlyMap<string, readonly string[]>;

/**
 * Parses route-scopes.json; throws on anything but an object of string arrays.
 * A Map, not the object itself: a lookup of `constructor` or `__proto__` must not find anything.
 */
export function parseRouteScopes(text: string): RouteScopes {
  const data: unknown = JSON.parse(text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error('not a JSON object');
  }
  const routes = new Map<string, readonly string[]>();
  for (const [route, scopes] of Object.entries(data)) {
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string' && s)) {
      throw new Error(`${route}: not an array of scope names`);
    }
    routes.set(route, scopes);
  }
  return routes;
}

export const loadRouteScopes = (path: string): RouteScopes => parseRouteScopes(readFileSync(path, 'utf8'));
