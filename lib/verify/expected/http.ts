/**
 * What an HTTP API (API Gateway v2) built from the map looks like, as items comparable with AWS.
 */
import { effectiveAuth, routeKeys, type ResolvedService, type ResolvedServiceMap } from '../../service-map';
import { authorizerItem, routeItem, stageDefaultThrottleItem, stageRouteThrottleItem } from '../deployed/http';
import { type Item, listValue, throttleValue } from '../items';

/** The name the gateway gives its JWT authorizer. */
export function authorizerName(map: ResolvedServiceMap): string {
  return `${map.name}-jwt`;
}

/** AWS's AuthorizationType of a service's routes. */
export function routeAuthorizationType(map: ResolvedServiceMap, service: ResolvedService): 'CUSTOM' | 'JWT' | 'NONE' {
  if (effectiveAuth(map, service) !== 'jwt') return 'NONE';
  return map.auth.authorizer === 'lambda' ? 'CUSTOM' : 'JWT';
}

export function expectedRouteItems(map: ResolvedServiceMap): Item[] {
  return Object.values(map.services).flatMap((service) => {
    const auth = routeAuthorizationType(map, service);
    const attributes = {
      auth,
      // A Lambda authorizer checks scopes itself; only a native JWT authorizer carries them on the route.
      ...(auth === 'JWT' ? { scopes: listValue(service.scopes) } : {}),
      ...(service.url
        ? { integration: `HTTP_PROXY ${service.url}`, timeout: `${service.timeoutMs} ms` }
        : { integration: 'HTTP_PROXY over VPC_LINK' }),
    };
    return routeKeys(service.path).map((key) => ({ item: routeItem(key), attributes }));
  });
}

/**
 * The JWT authorizer: the gateway creates it when at least one service uses jwt auth (validation
 * insists such a map has auth.jwt).
 */
export function expectedAuthorizerItems(map: ResolvedServiceMap): Item[] {
  if (!map.auth.jwt || !Object.values(map.services).some((s) => effectiveAuth(map, s) === 'jwt')) return [];
  if (map.auth.authorizer === 'lambda') {
    return [{ item: authorizerItem(authorizerName(map)), attributes: { type: 'REQUEST', cacheTtl: `${map.auth.cacheTtlSeconds} s` } }];
  }
  return [
    {
      item: authorizerItem(authorizerName(map)),
      attributes: { type: 'JWT', issuer: map.auth.jwt.issuer, audience: listValue(map.auth.jwt.audience) },
    },
  ];
}

/** The stage's default throttle (the gateway throttle) and the route throttles of services that set one. */
export function expectedStageItems(map: ResolvedServiceMap, stageName: string): Item[] {
  const items: Item[] = [
    { item: stageDefaultThrottleItem(stageName), attributes: throttleValue(map.throttle.rateLimit, map.throttle.burstLimit) },
  ];
  for (const service of Object.values(map.services)) {
    if (!service.throttle) continue;
    for (const key of routeKeys(service.path)) {
      items.push({ item: stageRouteThrottleItem(stageName, key), attributes: throttleValue(service.throttle.rateLimit, service.throttle.burstLimit) });
    }
  }
  return items;
}
