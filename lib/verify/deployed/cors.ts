/**
 * CORS as deployed, reduced to items comparable with the plan's CORS decisions: the HTTP API's own CORS
 * configuration; on a REST API, each preflight (OPTIONS) method's MOCK answer and the CORS headers of
 * the gateway responses. Both sides go through the same reductions here.
 */
import type { GatewayResponse, Method } from '@aws-sdk/client-api-gateway';
import type { Cors } from '@aws-sdk/client-apigatewayv2';
import { restPreflightTemplateOrigins } from '../../plan/cors';
import { type Item, listValue, NOT_SET, unitValue } from '../items';

export const HTTP_CORS_ITEM = 'cors configuration';

/**
 * An HTTP API's CORS configuration: origins as written, methods upper-cased, header names lower-cased
 * (they are case-insensitive), lists sorted so that order is not drift.
 */
export function httpCorsAttributes(cors: Cors): Record<string, string> {
  return {
    origins: listValue(cors.AllowOrigins),
    methods: listValue(cors.AllowMethods?.map((m) => m.toUpperCase())),
    headers: listValue(cors.AllowHeaders?.map((h) => h.toLowerCase())),
    exposeHeaders: listValue(cors.ExposeHeaders?.map((h) => h.toLowerCase())),
    credentials: String(cors.AllowCredentials ?? false),
    maxAge: unitValue(cors.MaxAge, 's'),
  };
}

/** An HTTP API has CORS when GetApi reports a configuration with anything in it. */
export function deployedHttpCorsItems(cors: Cors | undefined): Item[] {
  if (!cors || Object.values(cors).every((v) => v === undefined || (Array.isArray(v) && v.length === 0))) return [];
  return [{ item: HTTP_CORS_ITEM, attributes: httpCorsAttributes(cors) }];
}

export function preflightItem(path: string): string {
  return `preflight OPTIONS ${path}`;
}

/** Headers a mapping sets, by lower-cased name (`header.access-control-allow-origin`), with their quoted static values. */
function headerValues(parameters: Readonly<Record<string, string>> | undefined, prefix: string): Record<string, string> {
  const entries = Object.entries(parameters ?? {})
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, v]) => [`header.${k.slice(prefix.length).toLowerCase()}`, v] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries);
}

/**
 * A preflight's answer: its status codes, the headers its integration response sets, and the origins its
 * response template echoes (`echoes`: none, the list, or a template of its own).
 */
export function preflightAttributes(responses: ReadonlyArray<{ statusCode?: string; responseParameters?: Record<string, string>; responseTemplates?: Record<string, string> }>): Record<string, string> {
  const attributes: Record<string, string> = { status: listValue(responses.map((r) => r.statusCode ?? NOT_SET)) };
  for (const r of responses) {
    Object.assign(attributes, headerValues(r.responseParameters, 'method.response.header.'));
    const template = r.responseTemplates?.['application/json'] ?? '';
    const origins = restPreflightTemplateOrigins(template);
    attributes.echoes = origins === undefined ? `(a template of its own: ${JSON.stringify(template.length > 80 ? `${template.slice(0, 79)}…` : template)})` : listValue(origins);
  }
  return attributes;
}

/** Each OPTIONS method answered by API Gateway itself (MOCK): a preflight, whoever added it. */
export function deployedPreflightItems(methods: ReadonlyArray<{ httpMethod: string; path: string; method: Method }>): Item[] {
  return methods
    .filter((m) => m.httpMethod === 'OPTIONS' && m.method.methodIntegration?.type === 'MOCK')
    .map((m) => ({ item: preflightItem(m.path), attributes: preflightAttributes(Object.values(m.method.methodIntegration?.integrationResponses ?? {})) }));
}

export function gatewayResponseCorsItem(responseType: string): string {
  return `gateway response ${responseType} cors`;
}

/** The CORS headers (Access-Control-*, and Vary) a gateway response sets. */
export function gatewayResponseCorsAttributes(responseParameters: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const headers = headerValues(responseParameters, 'gatewayresponse.header.');
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('header.access-control-') || k === 'header.vary'));
}

/**
 * The gateway responses the API customizes (API Gateway's defaults carry no CORS header) that set a
 * CORS header; a response with only `Vary` is not CORS.
 */
export function deployedGatewayResponseCorsItems(responses: readonly GatewayResponse[]): Item[] {
  return responses
    .filter((r) => r.defaultResponse !== true)
    .map((r) => ({ item: gatewayResponseCorsItem(r.responseType ?? '(no type)'), attributes: gatewayResponseCorsAttributes(r.responseParameters) }))
    .filter(setsCorsHeader);
}

/** Whether a gateway response item sets an Access-Control-* header (`Vary` alone is not CORS). */
export function setsCorsHeader(item: Item): boolean {
  return Object.keys(item.attributes).some((k) => k.startsWith('header.access-control-'));
}
