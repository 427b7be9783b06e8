/**
 * How each route (HTTP API) or method (REST API) of a service is protected and throttled: the rules the
 * front doors build their routes with, the plan records, and `verify` compares a deployed API with.
 * Pure: no CDK object.
 */
import { cachesResponses, effectiveAuth, hasRestMethodSettings, routeKeys } from '../service-map/conventions';
import type { ResolvedService, ResolvedServiceMap } from '../service-map/schema';

export type AuthMode = 'jwt' | 'none' | 'apiKey';
/** API Gateway's AuthorizationType of a route or method. */
export type AuthorizationType = 'CUSTOM' | 'JWT' | 'NONE';

/** Requests per second a route may take (token bucket: `burstLimit` at once). */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface RouteAuthorization {
  readonly authorizationType: AuthorizationType;
  /** Scopes API Gateway itself checks on the route (the native JWT authorizer only; the Lambda authorizer checks them itself). */
  readonly authorizationScopes: readonly string[];
  /** REST: the method asks for an API key. */
  readonly apiKeyRequired: boolean;
}

/**
 * The authorization of a service's routes: its JWT routes use the Lambda authorizer (`CUSTOM`) or API
 * Gateway's own (`JWT`, HTTP front door only), everything else is `NONE` (an apiKey method asks for a key).
 */
export function routeAuthorization(map: ResolvedServiceMap, service: ResolvedService): RouteAuthorization {
  const auth = effectiveAuth(map, service);
  const native = map.frontDoor === 'http' && map.auth.authorizer === 'native';
  const authorizationType: AuthorizationType = auth !== 'jwt' ? 'NONE' : native ? 'JWT' : 'CUSTOM';
  return {
    authorizationType,
    authorizationScopes: authorizationType === 'JWT' ? service.scopes : [],
    apiKeyRequired: auth === 'apiKey',
  };
}

/**
 * A route's own stage throttle; undefined means the stage default (the gateway's `throttle`) applies.
 * HTTP: only a service with its own `throttle`. REST: every method with method settings (own throttle,
 * or a cache), which then repeats the gateway throttle, since a REST method setting replaces the default.
 */
export function routeThrottle(map: ResolvedServiceMap, service: ResolvedService): Throttle | undefined {
  if (map.frontDoor === 'rest') {
    if (!hasRestMethodSettings(service)) return undefined;
    const t = service.throttle ?? map.throttle;
    return { rateLimit: t.rateLimit, burstLimit: t.burstLimit };
  }
  return service.throttle && { rateLimit: service.throttle.rateLimit, burstLimit: service.throttle.burstLimit };
}

/** One route of the HTTP API, or one method of the REST API. */
export interface RouteShape {
  readonly method: 'ANY' | 'GET';
  /** `/orders` or `/orders/{proxy+}`. */
  readonly path: string;
  /** The service's own path (true), or everything below it (false). */
  readonly exactRoute: boolean;
  /** The route key of the same path (`ANY /orders`): the value of the service header the ALB rule matches. */
  readonly routeKey: string;
}

/**
 * A service's routes: `ANY <path>` and `ANY <path>/{proxy+}`. On the REST front door a service that
 * caches gets the same two as `GET` too, the only methods whose responses are cached (a cached ANY would
 * replay one caller's POST answer to the next).
 */
export function serviceRoutes(map: ResolvedServiceMap, service: ResolvedService): RouteShape[] {
  const any = routeKeys(service.path).map((routeKey, i) => ({ method: 'ANY' as const, path: routeKey.split(' ')[1], exactRoute: i === 0, routeKey }));
  if (map.frontDoor !== 'rest' || !cachesResponses(service)) return any;
  return [...any, ...any.map((r) => ({ ...r, method: 'GET' as const }))];
}
