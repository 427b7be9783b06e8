import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { ResolvedServiceMap } from './service-map/schema';

/** Metadata key on the API resource under which the map is recorded for `verify`. */
export const RECORD_KEY = 'cdk-service-gateway';
/** The record layout the gateway writes, and the one `verify` reads. */
export const RECORD_SCHEMA_VERSION = 1;

/**
 * The record on the API resource, declared once: the construct writes it, `verify` parses it. The
 * parser accepts any `schemaVersion` (to name the version it cannot read) and a record without
 * `mapEncoding` (`map` is then the map object).
 */
export const gatewayRecordSchema = z.object({
  schemaVersion: z.number(),
  frontDoor: z.enum(['http', 'rest']),
  /** `$default` on the HTTP front door, the named stage (e.g. `prod`) on the REST front door. */
  stageName: z.string().min(1),
  /** Logical id of the web ACL in the same template, when the firewall is on. */
  webAclLogicalId: z.string().min(1).optional(),
  /** How `map` is encoded: gzip, then base64 (a 500-service map is ~300 KB as JSON, ~15 KB so). */
  mapEncoding: z.literal('gzip+base64').optional(),
  /** The resolved map, see `decodeRecordedMap`. */
  map: z.unknown(),
});

/** What the gateway records on its API resource: this version's layout, the map encoded. */
export type GatewayRecord = z.infer<typeof gatewayRecordSchema> & {
  readonly schemaVersion: typeof RECORD_SCHEMA_VERSION;
  readonly mapEncoding: 'gzip+base64';
  readonly map: string;
};

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
