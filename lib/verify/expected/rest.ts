/**
 * What a REST API (API Gateway v1) built from the map looks like, as items comparable with AWS.
 */
import { effectiveAuth, routeKeys, type ResolvedServiceMap } from '../../service-map';
import { authorizerItem } from '../deployed/http';
import {
  methodAttributes,
  methodItem,
  restAuthorizerAttributes,
  restDefaultThrottleItem,
  restMethodThrottleItem,
  usagePlanAttributes,
  usagePlanItem,
} from '../deployed/rest';
import { type Item, throttleValue } from '../items';
import { authorizerName, hasJwtAuthorizer, restIdentitySource } from './authorizer';

/**
 * A service's methods: `ANY <path>` and `ANY <path>/{proxy+}`, the REST shape of its route keys, and
 * the same two as `GET` when it caches responses (only GET responses are cached).
 */
function serviceMethods(service: ResolvedServiceMap['services'][string]): Array<{ method: string; path: string }> {
  const any = routeKeys(service.path).map((key) => {
    const [method, resourcePath] = key.split(' ');
    return { method, path: resourcePath };
  });
  const cached = service.cache !== undefined && service.cache.ttlSeconds > 0;
  return cached ? [...any, ...any.map((m) => ({ method: 'GET', path: m.path }))] : any;
}

export function expectedMethodItems(map: ResolvedServiceMap): Item[] {
  return Object.values(map.services).flatMap((service) => {
    const auth = effectiveAuth(map, service);
    // REST has no native JWT authorizer (validation rejects it), so jwt is always the Lambda authorizer.
    const attributes = methodAttributes(auth === 'jwt' ? 'CUSTOM' : 'NONE', auth === 'apiKey');
    return serviceMethods(service).map((m) => ({ item: methodItem(m.method, m.path), attributes }));
  });
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

export function expectedRestStageItems(map: ResolvedServiceMap, stageName: string): Item[] {
  const items: Item[] = [
    { item: restDefaultThrottleItem(stageName), attributes: throttleValue(map.throttle.rateLimit, map.throttle.burstLimit) },
  ];
  for (const service of Object.values(map.services)) {
    // A cached service has method settings (for its cache) even without a throttle of its own.
    const cached = service.cache !== undefined && service.cache.ttlSeconds > 0;
    if (!service.throttle && !cached) continue;
    const throttle = service.throttle ?? map.throttle;
    for (const m of serviceMethods(service)) {
      items.push({ item: restMethodThrottleItem(stageName, m.method, m.path), attributes: throttleValue(throttle.rateLimit, throttle.burstLimit) });
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
