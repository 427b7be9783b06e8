/**
 * What an HTTP API (API Gateway v2) built from the map looks like, as items comparable with AWS.
 */
import { requestParameters, urlIntegrationParameters } from '../../front-door/integration-mapping';
import { effectiveAuth, jwtIssuers, placeServices, preflightIntegrationKey, routeKeys, sharedIntegrationKey, type ResolvedService, type ResolvedServiceMap } from '../../service-map';
import {
  authorizerItem,
  integrationParametersItem,
  jwtAuthorizerAttributes,
  lambdaAuthorizerAttributes,
  requestParameterAttributes,
  routeItem,
  stageDefaultThrottleItem,
  stageRouteThrottleItem,
} from '../deployed/http';
import { type Item, listValue, throttleValue } from '../items';
import { authorizerName, hasJwtAuthorizer, httpIdentitySource } from './authorizer';

/** AWS's AuthorizationType of a service's routes. */
export function routeAuthorizationType(map: ResolvedServiceMap, service: ResolvedService): 'CUSTOM' | 'JWT' | 'NONE' {
  if (effectiveAuth(map, service) !== 'jwt') return 'NONE';
  return map.auth.authorizer === 'lambda' ? 'CUSTOM' : 'JWT';
}

export function expectedRouteItems(map: ResolvedServiceMap): Item[] {
  // With cors: each service's OPTIONS routes, without an authorizer, to its ALB (which answers them).
  const preflight: Item[] = placeServices(map).services.flatMap((p) =>
    p.preflightRouteKeys.map((key) => ({ item: routeItem(key), attributes: { auth: 'NONE', integration: 'HTTP_PROXY over VPC_LINK' } })),
  );
  return Object.values(map.services).flatMap((service): Item[] => {
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
  }).concat(preflight);
}

/**
 * The headers and path each route's integration sets, from the functions HttpFrontDoor builds them with:
 * backends and WAF rules trust these headers because clients cannot set them.
 */
export function expectedIntegrationParameterItems(map: ResolvedServiceMap): Item[] {
  const authorizer = map.auth.authorizer;
  return placeServices(map).services.flatMap((placement) =>
    placement.routeKeys.map((routeKey, i) => {
      const exactRoute = i === 0;
      // The shared integration's key carries the caller and path rules the front door uses for every route.
      const key = sharedIntegrationKey(placement, exactRoute);
      const svc = placement.service;
      const parameters =
        placement.kind === 'url'
          ? urlIntegrationParameters(svc.url!, key.caller, authorizer, svc.stripPrefix, exactRoute)
          : requestParameters(key.caller, authorizer, key.path);
      return { item: integrationParametersItem(routeKey), attributes: requestParameterAttributes(parameters) };
    }).concat(placement.preflightRouteKeys.map((routeKey) => {
      const key = preflightIntegrationKey(placement);
      return { item: integrationParametersItem(routeKey), attributes: requestParameterAttributes(requestParameters(key.caller, authorizer, key.path)) };
    })),
  );
}

/** The JWT authorizer, with the identity source that is also its cache key. */
export function expectedAuthorizerItems(map: ResolvedServiceMap): Item[] {
  if (!hasJwtAuthorizer(map)) return [];
  const jwt = map.auth.jwt!;
  const identitySource = httpIdentitySource(map);
  const attributes =
    map.auth.authorizer === 'lambda'
      ? lambdaAuthorizerAttributes(map.auth.cacheTtlSeconds, identitySource, '2.0', true)
      : jwtAuthorizerAttributes(jwtIssuers(jwt)[0], jwt.audience, identitySource);
  return [{ item: authorizerItem(authorizerName(map)), attributes }];
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
