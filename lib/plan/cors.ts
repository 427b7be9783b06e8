/**
 * The gateway's CORS decisions, made once from the map's `cors`: the HTTP API's own CORS configuration,
 * and on the REST front door the preflight (OPTIONS, MOCK) answer and the CORS headers on API Gateway's
 * own 4xx/5xx answers. The front doors render these; `verify` compares a deployed API with them.
 * Pure: no CDK object.
 */
import type { ResolvedServiceMap } from '../service-map/schema';

type Cors = NonNullable<ResolvedServiceMap['cors']>;

/** The methods a REST preflight allows when the map allows `*` (a REST API has no wildcard). */
const REST_ALL_METHODS = 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS';

/**
 * The HTTP API's `CorsConfiguration` (AWS::ApiGatewayV2::Api), API Gateway answering preflights and
 * adding the headers to responses. Members as the HTTP API names them, camelCase.
 */
export interface HttpCorsPlan {
  readonly allowOrigins: readonly string[];
  /** `*` for every method, or the map's list. */
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  /** Absent when the map exposes none (the template leaves the member out). */
  readonly exposeHeaders?: readonly string[];
  readonly allowCredentials: boolean;
  /** Seconds. */
  readonly maxAge: number;
}

/** The REST preflight's answer: the 204 integration response of each OPTIONS method's MOCK integration. */
export interface RestPreflightPlan {
  readonly statusCode: '204';
  /**
   * `method.response.header.<name>` to a quoted static value. `Access-Control-Allow-Origin` is here only
   * with one allowed origin; with several, `originTemplate` echoes the request's Origin when it is one of them.
   */
  readonly responseParameters: Readonly<Record<string, string>>;
  /** The `application/json` response template: empty with one origin; else the VTL matching the Origin. */
  readonly originTemplate: string;
}

/** CORS headers on API Gateway's own answers (401, 403, 429, 5xx) of the REST front door. */
export interface RestGatewayResponsesPlan {
  readonly responseTypes: readonly ['DEFAULT_4XX', 'DEFAULT_5XX'];
  /** `gatewayresponse.header.<name>` to a quoted static value. */
  readonly responseParameters: Readonly<Record<string, string>>;
}

/** The map's `cors`, as the gateway renders it. */
export interface CorsPlan {
  /** The map's lists, defaults filled in. */
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSeconds: number;
  /** HTTP front door: the API's CORS configuration. */
  readonly http?: HttpCorsPlan;
  /** REST front door: the preflight methods' answer. */
  readonly restPreflight?: RestPreflightPlan;
  /** REST front door: the CORS headers of the DEFAULT_4XX and DEFAULT_5XX gateway responses. */
  readonly restGatewayResponses?: RestGatewayResponsesPlan;
}

/** The CORS plan of a map; undefined when the map has no `cors`. */
export function planCors(map: ResolvedServiceMap): CorsPlan | undefined {
  const cors = map.cors;
  if (!cors) return undefined;
  const lists = {
    allowOrigins: [...cors.allowOrigins],
    allowMethods: [...cors.allowMethods],
    allowHeaders: [...cors.allowHeaders],
    exposeHeaders: [...cors.exposeHeaders],
    allowCredentials: cors.allowCredentials,
    maxAgeSeconds: cors.maxAgeSeconds,
  };
  return map.frontDoor === 'rest'
    ? { ...lists, restPreflight: restPreflight(cors), restGatewayResponses: restGatewayResponses(cors) }
    : { ...lists, http: httpCorsConfiguration(cors) };
}

function httpCorsConfiguration(cors: Cors): HttpCorsPlan {
  return {
    allowOrigins: [...cors.allowOrigins],
    // `*` is the HTTP API's own wildcard (CDK's CorsHttpMethod.ANY).
    allowMethods: [...cors.allowMethods],
    allowHeaders: [...cors.allowHeaders],
    ...(cors.exposeHeaders.length ? { exposeHeaders: [...cors.exposeHeaders] } : {}),
    allowCredentials: cors.allowCredentials,
    maxAge: cors.maxAgeSeconds,
  };
}

/**
 * A single allowed origin is sent as a static header; several are matched against the request's Origin
 * by the response template, which echoes it when it is one of them (never any other).
 */
function restPreflight(cors: Cors): RestPreflightPlan {
  const allowMethods = cors.allowMethods.includes('*') ? REST_ALL_METHODS : [...new Set([...cors.allowMethods, 'OPTIONS'])].join(',');
  const headers: Record<string, string> = {
    'method.response.header.Access-Control-Allow-Headers': `'${cors.allowHeaders.join(',')}'`,
    'method.response.header.Access-Control-Allow-Methods': `'${allowMethods}'`,
    'method.response.header.Access-Control-Max-Age': `'${cors.maxAgeSeconds}'`,
    'method.response.header.Vary': "'Origin'",
  };
  if (cors.allowCredentials) headers['method.response.header.Access-Control-Allow-Credentials'] = "'true'";
  const single = cors.allowOrigins.length === 1;
  if (single) headers['method.response.header.Access-Control-Allow-Origin'] = `'${cors.allowOrigins[0]}'`;
  return { statusCode: '204', responseParameters: headers, originTemplate: single ? '' : restPreflightOriginTemplate(cors.allowOrigins) };
}

/** The REST preflight's response template echoing the request's Origin when it is one of `origins`. */
export function restPreflightOriginTemplate(origins: readonly string[]): string {
  return [
    '#set($origin = $input.params("Origin"))',
    `#if(${origins.map((o) => `$origin == "${o}"`).join(' || ')})`,
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
    '#end',
  ].join('\n');
}

/**
 * The origins a preflight response template echoes, read back from it: the origins when it is exactly
 * the template {@link restPreflightOriginTemplate} writes for them, else undefined (a template of its own).
 * An empty template echoes none.
 */
export function restPreflightTemplateOrigins(template: string): string[] | undefined {
  if (template === '') return [];
  const origins = [...template.matchAll(/\$origin == "([^"]*)"/g)].map((m) => m[1]);
  return origins.length > 0 && restPreflightOriginTemplate(origins) === template ? origins : undefined;
}

/**
 * Gateway responses can only carry static headers: with one allowed origin it is sent; with several,
 * none is (echoing the request's Origin would allow every origin).
 */
function restGatewayResponses(cors: Cors): RestGatewayResponsesPlan {
  const headers: Record<string, string> = { 'gatewayresponse.header.Vary': "'Origin'" };
  if (cors.allowOrigins.length === 1) headers['gatewayresponse.header.Access-Control-Allow-Origin'] = `'${cors.allowOrigins[0]}'`;
  if (cors.allowCredentials) headers['gatewayresponse.header.Access-Control-Allow-Credentials'] = "'true'";
  if (cors.exposeHeaders.length > 0) headers['gatewayresponse.header.Access-Control-Expose-Headers'] = `'${cors.exposeHeaders.join(',')}'`;
  return { responseTypes: ['DEFAULT_4XX', 'DEFAULT_5XX'], responseParameters: headers };
}
