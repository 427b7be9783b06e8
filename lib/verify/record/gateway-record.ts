/**
 * Reads back what the `ServiceGateway` construct recorded on its API resource: the resolved service map
 * (environment values redacted) and the facts verify cannot derive from the map alone.
 */
import { decodeRecordedMap, gatewayRecordSchema, RECORD_KEY, RECORD_SCHEMA_VERSION } from '../../recorded-map';
import { formatPath, serviceMapSchema, type ResolvedServiceMap } from '../../service-map';
import { CannotVerifyError } from '../errors';
import type { Template } from './template';

/** The resource-level `Metadata` key the construct writes. */
export const METADATA_KEY = RECORD_KEY;
/** The record layout this version of verify understands. */
export const SCHEMA_VERSION = RECORD_SCHEMA_VERSION;

export const API_RESOURCE_TYPES = {
  http: 'AWS::ApiGatewayV2::Api',
  rest: 'AWS::ApiGateway::RestApi',
} as const;

export type FrontDoor = keyof typeof API_RESOURCE_TYPES;

export interface RecordedGateway {
  /** Logical ID of the API resource that carries the record. */
  readonly apiLogicalId: string;
  readonly frontDoor: FrontDoor;
  /** `$default` on the HTTP front door, the named stage (e.g. `prod`) on the REST front door. */
  readonly stageName: string;
  /** The `AWS::WAFv2::WebACL` in the same template, when the firewall is enabled. */
  readonly webAclLogicalId?: string;
  readonly map: ResolvedServiceMap;
}

/**
 * Every gateway recorded in a template (one per `ServiceGateway` in the stack).
 *
 * @throws CannotVerifyError when there is none, or a record cannot be read
 */
export function readGatewayRecords(template: Template, source: string): RecordedGateway[] {
  const records: RecordedGateway[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const raw = resource?.Metadata?.[METADATA_KEY];
    if (raw === undefined) continue;
    records.push(parseRecord(logicalId, resource.Type, raw, source));
  }
  if (records.length === 0) {
    throw new CannotVerifyError(
      `${source} has no "${METADATA_KEY}" metadata on any resource: it was not synthesized with a ServiceGateway ` +
        '(or with a version of cdk-service-gateway older than verify). Check the stack name.',
    );
  }
  return records;
}

function parseRecord(logicalId: string, type: string, raw: unknown, source: string): RecordedGateway {
  const where = `${source}, resource ${logicalId}, Metadata "${METADATA_KEY}"`;
  const record = gatewayRecordSchema.safeParse(raw);
  if (!record.success) {
    throw new CannotVerifyError(`${where} is not a gateway record: ${record.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
  }
  const { schemaVersion, frontDoor, stageName, webAclLogicalId } = record.data;
  if (schemaVersion !== SCHEMA_VERSION) {
    throw new CannotVerifyError(
      `${where} has schemaVersion ${schemaVersion}; this verify reads schemaVersion ${SCHEMA_VERSION}. Use the cdk-service-gateway version the stack was synthesized with.`,
    );
  }
  if (type !== API_RESOURCE_TYPES[frontDoor]) {
    throw new CannotVerifyError(`${where} says frontDoor "${frontDoor}" but the resource is ${type}, not ${API_RESOURCE_TYPES[frontDoor]}`);
  }
  const map = serviceMapSchema.safeParse(decodeMap(record.data.mapEncoding, record.data.map, where));
  if (!map.success) {
    const problems = map.error.issues.map((i) => `map.${formatPath(i.path)}: ${i.message}`);
    throw new CannotVerifyError(`${where} holds a service map this version cannot read:\n  ${problems.join('\n  ')}`);
  }
  return { apiLogicalId: logicalId, frontDoor, stageName, webAclLogicalId, map: map.data };
}

function decodeMap(encoding: 'gzip+base64' | undefined, map: unknown, where: string): unknown {
  if (encoding === undefined) return map;
  if (typeof map !== 'string') throw new CannotVerifyError(`${where}: mapEncoding is "${encoding}" but map is not a string`);
  try {
    return decodeRecordedMap(map);
  } catch (err) {
    throw new CannotVerifyError(`${where}: map is not valid ${encoding} JSON (${(err as Error).message})`);
  }
}
