/**
 * The REST stage's response cache as the map decides it, with no CDK object: `RestFrontDoor` builds the
 * stage and its method settings from these, and `verify` compares the deployed stage with them.
 */
import { cachesResponses } from '../service-map/conventions';
import type { ResolvedService, ResolvedServiceMap } from '../service-map/schema';

export interface RestCacheCluster {
  readonly cacheClusterEnabled: boolean;
  /** GB, as API Gateway writes it (`"0.5"`); only with a cluster. */
  readonly cacheClusterSize?: string;
}

/** The cache part of a stage method setting. */
export interface RestMethodCache {
  readonly cachingEnabled: boolean;
  readonly cacheTtlInSeconds?: number;
  readonly cacheDataEncrypted?: boolean;
}

/** A cache cluster is billed by the hour: only when some service caches for more than 0 seconds. */
export function restCacheCluster(map: ResolvedServiceMap): RestCacheCluster {
  const caching = Object.values(map.services).some(cachesResponses);
  return { cacheClusterEnabled: caching, cacheClusterSize: caching ? map.rest.cacheClusterSizeGb : undefined };
}

/** The stage default (`/*` `*`): no method caches unless its own setting says so; whatever one caches is encrypted at rest. */
export const STAGE_DEFAULT_CACHE: RestMethodCache = { cachingEnabled: false, cacheDataEncrypted: true };

/**
 * A method's cache setting: only the GET of a service that caches, for its TTL. ANY is never cached:
 * it would replay one caller's POST answer to the next.
 */
export function restMethodCache(service: ResolvedService, httpMethod: 'ANY' | 'GET'): RestMethodCache {
  if (httpMethod === 'GET' && cachesResponses(service)) return { cachingEnabled: true, cacheTtlInSeconds: service.cache!.ttlSeconds, cacheDataEncrypted: true };
  return { cachingEnabled: false };
}
