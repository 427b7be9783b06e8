import { gunzipSync, gzipSync } from 'node:zlib';
import type { ResolvedServiceMap } from './service-map/schema';

/** Metadata key on the API resource under which the map is recorded for `verify`. */
export const RECORD_KEY = 'cdk-service-gateway';

/** What the gateway records on its API resource. */
export interface GatewayRecord {
  readonly schemaVersion: 1;
  readonly frontDoor: 'http' | 'rest';
  readonly stageName: string;
  /** Logical id of the web ACL in the same template, when the firewall is on. */
  readonly webAclLogicalId?: string;
  /** How `map` is encoded: gzip, then base64 (a 500-service map is ~300 KB as JSON, ~15 KB so). */
  readonly mapEncoding: 'gzip+base64';
  /** The resolved map, see `decodeRecordedMap`. */
  readonly map: string;
}

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

/**
 * Encodes the recorded map compactly and canonically: keys sorted, so reordering services in the map
 * changes nothing; gzip's header carries no time stamp.
 */
export function encodeRecordedMap(map: ResolvedServiceMap): string {
  return gzipSync(Buffer.from(JSON.stringify(sortKeys(recordedServiceMap(map)))), { level: 9 }).toString('base64');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

export function decodeRecordedMap(encoded: string): ResolvedServiceMap {
  return JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')) as ResolvedServiceMap;
}
