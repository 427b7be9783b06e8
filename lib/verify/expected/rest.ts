/**
 * What a REST API (API Gateway v1) built from the map looks like, as items comparable with AWS.
 */
import { restApiKey } from '../../front-door/rest-api-keys';
import { restCacheCluster, restMethodCache, STAGE_DEFAULT_CACHE } from '../../front-door/rest-cache';
import { restProxyIntegration } from '../../front-door/rest-integration';
import { cachesResponses, effectiveAuth, hasRestMethodSettings, placeServices, routeKeys, type ResolvedServiceMap } from '../../service-map';
import { authorizerItem } from '../deployed/http';
import {
  ALB_ADDRESS,
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
import { authorizerName, hasJwtAuthorizer, restIdentitySource } from './authorizer';

/**
 * A service's methods: `ANY <path>` and `ANY <path>/{proxy+}`, the REST shape of its route keys, and
 * the same two as `GET` when it caches responses (only GET responses are cached).
 */
function serviceMethods(service: ResolvedServiceMap['services'][string]): Array<{ method: 'ANY' | 'GET'; path: string; exactRoute: boolean }> {
  const any = routeKeys(service.path).map((key, i) => ({ method: 'ANY' as const, path: key.split(' ')[1], exactRoute: i === 0 }));
  return cachesResponses(service) ? [...any, ...any.map((m) => ({ ...m, method: 'GET' as const }))] : any;
}

export function expectedMethodItems(map: ResolvedServiceMap): Item[] {
  return Object.values(map.services).flatMap((service) => {
    const auth = effectiveAuth(map, service);
    // REST has no native JWT authorizer (validation rejects it), so jwt is always the Lambda authorizer.
    const attributes = methodAttributes(auth === 'jwt' ? 'CUSTOM' : 'NONE', auth === 'apiKey');
    return serviceMethods(service).map((m) => ({ item: methodItem(m.method, m.path), attributes }));
  });
}

/**
 * Each method's integration and request parameters, from the function RestFrontDoor builds them with:
 * the gateway headers backends and WAF trust, the backend URI, and what a cached response is keyed by.
 */
export function expectedIntegrationItems(map: ResolvedServiceMap): Item[] {
  return placeServices(map).services.flatMap((placement) =>
    serviceMethods(placement.service).flatMap(({ method, path, exactRoute }) => {
      const integration = restProxyIntegration({
        placement,
        exactRoute,
        httpMethod: method,
        routeKey: placement.routeKeys[exactRoute ? 0 : 1],
        loadBalancerDnsName: ALB_ADDRESS,
      });
      return [
        {
          item: restIntegrationItem(method, path),
          // The construct's property names, in the API's: CloudFormation's IntegrationHttpMethod is httpMethod.
          attributes: restIntegrationAttributes({
            type: integration.type,
            connectionType: integration.connectionType,
            httpMethod: integration.integrationHttpMethod,
            uri: integration.uri,
            timeoutInMillis: integration.timeoutInMillis,
            cacheKeyParameters: integration.cacheKeyParameters,
          }),
        },
        { item: restIntegrationParametersItem(method, path), attributes: restRequestParameterAttributes(integration.requestParameters) },
      ];
    }),
  );
}

/** The Lambda authorizer (REST has no native JWT one), with the identity source that is also its cache key. */
export function expectedRestAuthorizerItems(map: ResolvedServiceMap): Item[] {
  if (!hasJwtAuthorizer(map)) return [];
  return [
    {
      item: authorizerItem(authorizerName(map)),
      attributes: restAuthorizerAttributes('REQUEST', map.auth.cacheTtlSeconds, restIdentitySource(map).join(',')),
    },
  ];
}

/** The services with stage method settings, as RestFrontDoor decides. */
const servicesWithMethodSettings = (map: ResolvedServiceMap) => Object.values(map.services).filter(hasRestMethodSettings);

export function expectedRestStageItems(map: ResolvedServiceMap, stageName: string): Item[] {
  const items: Item[] = [
    { item: restDefaultThrottleItem(stageName), attributes: throttleValue(map.throttle.rateLimit, map.throttle.burstLimit) },
  ];
  for (const service of servicesWithMethodSettings(map)) {
    const throttle = service.throttle ?? map.throttle;
    for (const m of serviceMethods(service)) {
      items.push({ item: restMethodThrottleItem(stageName, m.method, m.path), attributes: throttleValue(throttle.rateLimit, throttle.burstLimit) });
    }
  }
  return items;
}

/**
 * The stage's response cache, from the functions RestFrontDoor builds the stage with: the cluster (only
 * when a service caches), nothing cached by default, and each method setting's cache: on for a cached
 * service's GET with its TTL, off for every ANY.
 */
export function expectedRestCacheItems(map: ResolvedServiceMap, stageName: string): Item[] {
  const cluster = restCacheCluster(map);
  const items: Item[] = [
    { item: restCacheClusterItem(stageName), attributes: cacheClusterAttributes(cluster.cacheClusterEnabled, cluster.cacheClusterSize) },
    { item: restDefaultCacheItem(stageName), attributes: methodCacheAttributes(STAGE_DEFAULT_CACHE.cachingEnabled, STAGE_DEFAULT_CACHE.cacheTtlInSeconds) },
  ];
  for (const service of servicesWithMethodSettings(map)) {
    for (const m of serviceMethods(service)) {
      const cache = restMethodCache(service, m.method);
      items.push({ item: restMethodCacheItem(stageName, m.method, m.path), attributes: methodCacheAttributes(cache.cachingEnabled, cache.cacheTtlInSeconds) });
    }
  }
  return items;
}

export function expectedUsagePlanItems(map: ResolvedServiceMap): Item[] {
  return Object.entries(map.usagePlans).map(([name, plan]) => ({
    item: usagePlanItem(name),
    attributes: usagePlanAttributes(plan, plan.quota),
  }));
}

/** The API keys' names in API Gateway, as RestFrontDoor names them. */
export function expectedApiKeyNames(map: ResolvedServiceMap): string[] {
  return Object.keys(map.apiKeys).map((key) => restApiKey(map, key).name);
}

/** Each API key, enabled and bound to its usage plan, as RestFrontDoor creates it. Values are never compared. */
export function expectedApiKeyItems(map: ResolvedServiceMap): Item[] {
  return Object.keys(map.apiKeys).map((key) => {
    const apiKey = restApiKey(map, key);
    return { item: apiKeyItem(apiKey.name), attributes: apiKeyAttributes(apiKey.enabled, [apiKey.usagePlanName]) };
  });
}
