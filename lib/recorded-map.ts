import type { ResolvedServiceMap } from './service-map/schema';

/** Metadata key on the API resource under which the map is recorded for `verify`. */
export const RECORD_KEY = 'cdk-service-gateway';

/**
 * The map as recorded in the template: defaults filled, container environment values replaced,
 * since users sometimes put credentials there despite `secrets`.
 */
export function recordedServiceMap(map: ResolvedServiceMap): ResolvedServiceMap {
  const copy = structuredClone(map);
  for (const svc of Object.values(copy.services)) {
    if (!svc.container) continue;
    svc.container.environment = Object.fromEntries(Object.keys(svc.container.environment).map((k) => [k, '(redacted)']));
  }
  return copy;
}
