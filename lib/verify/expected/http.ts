/**
 * What an HTTP API (API Gateway v2) built from the map looks like, as items comparable with AWS: the
 * gateway plan's routes, integrations, authorizer and throttles, formatted as the deployed side is.
 */
import type { GatewayPlan } from '../../plan';
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

// With cors: each service's OPTIONS routes too, without an authorizer, to its ALB (which answers them).
const routesOf = (plan: GatewayPlan) => plan.services.flatMap((service) => [...service.routes, ...service.preflightRoutes].map((route) => ({ service, route })));

export function expectedRouteItems(plan: GatewayPlan): Item[] {
  return routesOf(plan).map(({ route }) => ({
    item: routeItem(route.key),
    attributes: {
      auth: route.authorizationType,
      // A Lambda authorizer checks scopes itself; only a native JWT authorizer carries them on the route.
      ...(route.authorizationType === 'JWT' ? { scopes: listValue(route.authorizationScopes) } : {}),
      ...(route.integration.connectionType === 'INTERNET'
        ? { integration: `${route.integration.type} ${route.integration.target}`, timeout: `${route.integration.timeoutMs} ms` }
        : { integration: `${route.integration.type} over VPC_LINK` }),
    },
  }));
}

/** The headers and path each route's integration sets: backends and WAF rules trust these headers because clients cannot set them. */
export function expectedIntegrationParameterItems(plan: GatewayPlan): Item[] {
  return routesOf(plan).map(({ route }) => ({ item: integrationParametersItem(route.key), attributes: requestParameterAttributes(route.integration.requestParameters) }));
}

/** The JWT authorizer, with the identity source that is also its cache key. */
export function expectedAuthorizerItems(plan: GatewayPlan): Item[] {
  const a = plan.authorizer;
  if (!a) return [];
  const attributes =
    a.type === 'REQUEST'
      ? lambdaAuthorizerAttributes(a.resultTtlSeconds, a.identitySource, a.payloadFormatVersion, a.enableSimpleResponses)
      : jwtAuthorizerAttributes(a.issuers[0], a.audience, a.identitySource);
  return [{ item: authorizerItem(a.name), attributes }];
}

/** The stage's default throttle (the gateway throttle) and the route throttles of services that set one. */
export function expectedStageItems(plan: GatewayPlan, stageName: string): Item[] {
  return [
    { item: stageDefaultThrottleItem(stageName), attributes: throttleValue(plan.stageThrottle.rateLimit, plan.stageThrottle.burstLimit) },
    ...routesOf(plan)
      .filter(({ route }) => route.throttle)
      .map(({ route }) => ({ item: stageRouteThrottleItem(stageName, route.key), attributes: throttleValue(route.throttle!.rateLimit, route.throttle!.burstLimit) })),
  ];
}
