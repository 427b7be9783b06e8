/**
 * An API key of the REST front door as the map decides it, with no CDK object: `RestFrontDoor` creates
 * the key from this, and `verify` compares the deployed key with it. There is no value: API Gateway
 * generates it, so it is never in the map, the template or anything verify reads.
 */
import { apiKeyName, usagePlanName } from '../service-map/conventions';
import type { ResolvedServiceMap } from '../service-map/schema';

export interface RestApiKey {
  /** The key's name in API Gateway. */
  readonly name: string;
  readonly description: string;
  /** Keys are created enabled: a disabled key locks its clients out. */
  readonly enabled: boolean;
  /** The map's name of the usage plan the key is bound to. */
  readonly plan: string;
  /** That usage plan's name in API Gateway. */
  readonly usagePlanName: string;
}

export function restApiKey(map: ResolvedServiceMap, key: string): RestApiKey {
  const plan = map.apiKeys[key].plan;
  return {
    name: apiKeyName(map, key),
    description: `${map.name} gateway: API key "${key}"`,
    enabled: true,
    plan,
    usagePlanName: usagePlanName(map, plan),
  };
}
