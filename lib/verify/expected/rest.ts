/**
 * What a REST API (API Gateway v1) built from the map looks like, as items comparable with AWS: the
 * gateway plan's methods, integrations, authorizer, method settings, usage plans and keys.
 */
import type { GatewayPlan } from '../../plan';
import { authorizerItem } from '../deployed/http';
import {
  apiKeyAttributes,
  apiKeyItem,
  cacheClusterAttributes,
  methodAttributes,
  methodCacheAttributes,
  methodItem,
  restAuthorizerAttributes,
  restCacheClusterItem,
  restDefaultCacheItem,
  restDefaultThrottleItem,
  restIntegrationAttributes,
  restIntegrationItem,
  restIntegrationParametersItem,
  restMethodCacheItem,
  restMethodThrottleItem,
  restRequestParameterAttributes,
  usagePlanAttributes,
  usagePlanItem,
} from '../deployed/rest';
import { type Item, throttleValue } from '../items';

const methodsOf = (plan: GatewayPlan) => plan.services.flatMap((service) => service.routes);
/** Every method the REST API has: the services' methods and, with cors, their OPTIONS methods. */
const allMethodsOf = (plan: GatewayPlan) => plan.services.flatMap((service) => [...service.routes, ...service.preflightRoutes]);

export function expectedMethodItems(plan: GatewayPlan): Item[] {
  return allMethodsOf(plan).map((m) => ({ item: methodItem(m.method, m.path), attributes: methodAttributes(m.authorizationType, m.apiKeyRequired) }));
}

/** Each method's integration and request parameters: the gateway headers backends and WAF trust, the backend URI, and what a cached response is keyed by. */
export function expectedIntegrationItems(plan: GatewayPlan): Item[] {
  return allMethodsOf(plan).flatMap((m) => [
    {
      item: restIntegrationItem(m.method, m.path),
      attributes: restIntegrationAttributes({
        type: m.integration.type,
        connectionType: m.integration.connectionType,
        httpMethod: m.integration.httpMethod,
        uri: m.integration.uri,
        timeoutInMillis: m.integration.timeoutMs,
        cacheKeyParameters: m.integration.cacheKeyParameters ? [...m.integration.cacheKeyParameters] : undefined,
      }),
    },
    // API Gateway answers a MOCK itself: nothing is mapped to a backend.
    ...(m.integration.type === 'MOCK' ? [] : [{ item: restIntegrationParametersItem(m.method, m.path), attributes: restRequestParameterAttributes(m.integration.requestParameters) }]),
  ]);
}

/** The Lambda authorizer (REST has no native JWT one), with the identity source that is also its cache key. */
export function expectedRestAuthorizerItems(plan: GatewayPlan): Item[] {
  const a = plan.authorizer;
  if (!a) return [];
  return [{ item: authorizerItem(a.name), attributes: restAuthorizerAttributes(a.type, a.resultTtlSeconds, a.identitySource.join(',')) }];
}

/** The stage default throttle, and each method with a stage setting of its own (the plan gives those a throttle). */
export function expectedRestStageItems(plan: GatewayPlan, stageName: string): Item[] {
  return [
    { item: restDefaultThrottleItem(stageName), attributes: throttleValue(plan.stageThrottle.rateLimit, plan.stageThrottle.burstLimit) },
    ...methodsOf(plan)
      .filter((m) => m.throttle)
      .map((m) => ({ item: restMethodThrottleItem(stageName, m.method, m.path), attributes: throttleValue(m.throttle!.rateLimit, m.throttle!.burstLimit) })),
  ];
}

/**
 * The stage's response cache: the cluster (only when a service caches), nothing cached by default, and
 * each method setting's cache: on for a cached service's GET with its TTL, off for every ANY.
 */
export function expectedRestCacheItems(plan: GatewayPlan, stageName: string): Item[] {
  const { cacheCluster: cluster, defaultCache } = restOf(plan);
  return [
    { item: restCacheClusterItem(stageName), attributes: cacheClusterAttributes(cluster.cacheClusterEnabled, cluster.cacheClusterSize) },
    { item: restDefaultCacheItem(stageName), attributes: methodCacheAttributes(defaultCache.cachingEnabled, defaultCache.cacheTtlInSeconds) },
    ...methodsOf(plan)
      .filter((m) => m.cache)
      .map((m) => ({ item: restMethodCacheItem(stageName, m.method, m.path), attributes: methodCacheAttributes(m.cache!.cachingEnabled, m.cache!.cacheTtlInSeconds) })),
  ];
}

/** Each usage plan, by its name in API Gateway, as RestFrontDoor names it. */
export function expectedUsagePlanItems(plan: GatewayPlan): Item[] {
  return restOf(plan).usagePlans.map((p) => ({ item: usagePlanItem(p.usagePlanName), attributes: usagePlanAttributes(p.throttle, p.quota) }));
}

/** The API keys' names in API Gateway, as RestFrontDoor names them. */
export function expectedApiKeyNames(plan: GatewayPlan): string[] {
  return restOf(plan).apiKeys.map((k) => k.name);
}

/** Each API key, enabled and bound to its usage plan, as RestFrontDoor creates it. Values are never compared. */
export function expectedApiKeyItems(plan: GatewayPlan): Item[] {
  return restOf(plan).apiKeys.map((k) => ({ item: apiKeyItem(k.name), attributes: apiKeyAttributes(k.enabled, [k.usagePlanName]) }));
}

/** The plan's REST part (verify reads a REST gateway's plan only when the API is a REST API). */
function restOf(plan: GatewayPlan): NonNullable<GatewayPlan['rest']> {
  if (!plan.rest) throw new Error(`the plan of "${plan.name}" is for the ${plan.frontDoor} front door, not REST`);
  return plan.rest;
}
