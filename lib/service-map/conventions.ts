/**
 * Names the gateway derives from the map and that several layers must agree on: the constructs that
 * create resources, the authorizer that enforces scopes, and the `verify` tool that reads them back.
 */
import type { ResolvedRateLimit, ResolvedService, ResolvedServiceMap } from './schema';

/** Headers the gateway overwrites on every integration request; clients cannot set them. */
export const GATEWAY_HEADERS = {
  /** The matched service (the HTTP API route key, or the service name on the REST front door). */
  service: 'x-gateway-service',
  /** The client address API Gateway saw (`$context.identity.sourceIp`); WAF `ip` limits key on it. */
  clientIp: 'x-gateway-client-ip',
  /** The verified JWT subject; WAF `user` limits key on it. */
  user: 'x-gateway-user',
  /** The verified JWT scopes, space separated. */
  scopes: 'x-gateway-scopes',
} as const;

/**
 * How ECS replaces a Fargate service's tasks (rolling update): it keeps 100 % running and starts up to 200 %,
 * so during a deployment the target group can hold twice the tasks. The quota checks count that peak.
 */
export const FARGATE_DEPLOYMENT = { minimumHealthyPercent: 100, maximumPercent: 200 } as const;

/** The two HTTP API route keys of a service: its exact path and everything below it. */
export function routeKeys(path: string): [exact: string, proxy: string] {
  if (path === '/') return ['ANY /', 'ANY /{proxy+}'];
  return [`ANY ${path}`, `ANY ${path}/{proxy+}`];
}

/**
 * The two preflight routes of a service on the HTTP front door when the map sets `cors`: `OPTIONS` on
 * the same paths as its `ANY` routes, without an authorizer. API Gateway picks a route with the request's
 * own method over `ANY` on the same path, so a browser's preflight (which carries no token) matches these
 * and never an authorizer; every other method still matches the `ANY` routes. See docs/cors.md.
 */
export function preflightRouteKeys(path: string): [exact: string, proxy: string] {
  return routeKeys(path).map((key) => key.replace(/^ANY /, 'OPTIONS ')) as [string, string];
}

/** Whether the HTTP front door adds preflight routes (and the ALBs answer them): only with `cors`. */
export function hasPreflightRoutes(map: ResolvedServiceMap): boolean {
  return map.frontDoor === 'http' && map.cors !== undefined;
}

/**
 * The ALB listener-rule priority reserved for the rule that answers preflights (HTTP front door with
 * `cors`): the highest one (its header value never overlaps a service's, so order does not matter). A
 * service whose derived priority is this one probes to the next free slot; a pinned one is rejected.
 */
export const PREFLIGHT_RULE_PRIORITY = 50000;

/** The value of the service header that marks a preflight at the ALB (an ALB header condition wildcard). */
export const PREFLIGHT_HEADER_VALUE = 'OPTIONS *';

/**
 * Whether a service caches responses (REST front door): a cache of 0 seconds is none, and then neither
 * a cached GET method nor a cache cluster exists for it.
 */
export function cachesResponses(service: ResolvedService): boolean {
  return service.cache !== undefined && service.cache.ttlSeconds > 0;
}

/** Whether a service has REST stage method settings: for its own throttle, or for its cache (even without one). */
export function hasRestMethodSettings(service: ResolvedService): boolean {
  return service.throttle !== undefined || cachesResponses(service);
}

/**
 * A REST resource path as stage method settings address it: a JSON Pointer segment (RFC 6901), "~" written
 * "~0" and "/" written "~1", so "/a~1b" and "/a/b" stay two paths.
 */
export function restMethodSettingPath(path: string): string {
  return `/${path.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The resource path of a stage method-setting key's path part (the inverse of restMethodSettingPath, without the leading "/"). */
export function restResourcePathOf(escaped: string): string {
  return escaped.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The auth mode a service ends up with after defaults. */
export function effectiveAuth(map: ResolvedServiceMap, service: ResolvedService): 'jwt' | 'none' | 'apiKey' {
  return service.auth ?? map.auth.default ?? (map.auth.jwt ? 'jwt' : 'none');
}

/**
 * The conventional JWKS URL of an issuer, `<issuer>/.well-known/jwks.json`.
 *
 * @deprecated the gateway no longer uses it: without auth.jwt.jwksUri the authorizer finds the key set
 * through OIDC discovery (many providers serve no `/.well-known/jwks.json`)
 */
export function jwksUri(issuer: string, explicit?: string): string {
  return explicit ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
}

/** The accepted issuers of auth.jwt as a list (the map takes one or several). The first is the discovery base. */
export function jwtIssuers(jwt: { readonly issuer: string | readonly string[] }): string[] {
  return typeof jwt.issuer === 'string' ? [jwt.issuer] : [...jwt.issuer];
}

/** The token settings the JWT authorizer Lambda reads (docs/authorizer.md), from the map's auth.jwt. */
export interface JwtSettings {
  /** Accepted `iss` values, exact (`JWT_ISSUER`, comma-separated). The first is the discovery base. */
  readonly issuer: string | readonly string[];
  /** `aud` values, or `client_id` values of tokens without `aud`. */
  readonly audience: readonly string[];
  /**
   * The issuer's key set.
   *
   * @default - found through OIDC discovery from the first issuer, at run time
   */
  readonly jwksUri?: string;
  /** Accepted signature algorithms (`JWT_ALGORITHMS`). */
  readonly algorithms: readonly string[];
  /**
   * Claims that name the caller, in order.
   *
   * @default ['sub', 'client_id', 'azp'] (the authorizer's own default)
   */
  readonly subjectClaims?: readonly string[];
  /**
   * Claims that carry scopes, merged.
   *
   * @default ['scope', 'scp'] (the authorizer's own default)
   */
  readonly scopeClaims?: readonly string[];
  /**
   * Deny tokens that are not access tokens (Cognito `token_use`, RFC 9068 `typ: at+jwt`).
   *
   * @default false
   */
  readonly accessTokensOnly?: boolean;
}

export function jwtSettings(jwt: NonNullable<ResolvedServiceMap['auth']['jwt']>): JwtSettings {
  return {
    issuer: jwtIssuers(jwt),
    audience: jwt.audience,
    jwksUri: jwt.jwksUri,
    algorithms: jwt.algorithms,
    subjectClaims: jwt.subjectClaims,
    scopeClaims: jwt.scopeClaims,
    accessTokensOnly: jwt.accessTokensOnly,
  };
}

/**
 * The authorizer's environment (docs/authorizer.md), built here (pure) so validation can measure it. Settings
 * left at the authorizer's own defaults are not written, so a map that does not use them keeps its template.
 */
export function authorizerEnvironment(props: JwtSettings & { readonly gatewayName: string }): Record<string, string> {
  const env: Record<string, string | undefined> = {
    JWKS_URI: props.jwksUri,
    JWT_ISSUER: typeof props.issuer === 'string' ? props.issuer : props.issuer.join(','),
    JWT_AUDIENCE: props.audience.join(','),
    JWT_ALGORITHMS: props.algorithms.join(','),
    JWT_SUBJECT_CLAIMS: props.subjectClaims?.join(','),
    JWT_SCOPE_CLAIMS: props.scopeClaims?.join(','),
    JWT_ACCESS_TOKENS_ONLY: props.accessTokensOnly ? 'true' : undefined,
    POWERTOOLS_SERVICE_NAME: `${props.gatewayName}-authorizer`,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Lambda's limit on a function's environment: 4 KB, measured over the variables serialized as JSON, as
 * Lambda's own error reports it (AWS Lambda developer guide, "Lambda quotas": environment variables, 4 KB).
 */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/** The WAF rule name of a rate limit (gateway-wide when `service` is undefined). */
export function rateRuleName(rule: ResolvedRateLimit, service?: string): string {
  const base = rule.name ?? `${rule.key === 'header' ? rule.headerName : rule.key}-${rule.limit}-per-${rule.windowSeconds}s`;
  return service ? `${SERVICE_RULE_PREFIX}${service}-${base}` : base;
}

const SERVICE_RULE_PREFIX = 'svc-';

/**
 * The service whose rate limit a WAF rule name (`rateRuleName`) is, among `services` (the longest that
 * fits, since service names may contain dashes), or undefined for a gateway-wide rule.
 */
export function rateRuleService(ruleName: string, services: readonly string[]): string | undefined {
  return services.filter((s) => ruleName.startsWith(`${SERVICE_RULE_PREFIX}${s}-`)).sort((x, y) => y.length - x.length)[0];
}

/** The ARN of a REST API stage, as WAF associations and `ListResourcesForWebACL` name it. */
export function restStageArn(partition: string, region: string, restApiId: string, stageName: string): string {
  return `arn:${partition}:apigateway:${region}::/restapis/${restApiId}/stages/${stageName}`;
}

/** The name the gateway gives its JWT authorizer (both front doors). */
export function authorizerName(map: ResolvedServiceMap): string {
  return `${map.name}-jwt`;
}

/** The name of a usage plan in API Gateway (REST front door): `<gateway>-<plan>`. */
export function usagePlanName(map: ResolvedServiceMap, plan: string): string {
  return `${map.name}-${plan}`;
}

/** The name of an API key in API Gateway (REST front door): `<gateway>-<key>`. Keys are account-wide, so the prefix tells gateways apart. */
export function apiKeyName(map: ResolvedServiceMap, key: string): string {
  return `${map.name}-${key}`;
}

/** Whether the gateway has a JWT authorizer: some service uses jwt auth and the map configures auth.jwt. */
export function hasJwtAuthorizer(map: ResolvedServiceMap): boolean {
  return map.auth.jwt !== undefined && Object.values(map.services).some((s) => effectiveAuth(map, s) === 'jwt');
}

/**
 * Whether jwt services require different scopes. Then the Lambda authorizer's cache is keyed by route
 * too, so a cached allow for one route never opens another that needs more scopes.
 */
export function scopesDifferPerRoute(map: ResolvedServiceMap): boolean {
  const jwtServices = Object.values(map.services).filter((s) => effectiveAuth(map, s) === 'jwt');
  return new Set(jwtServices.map((s) => [...s.scopes].sort().join(' '))).size > 1;
}

/** The HTTP API authorizer's identity source, which is also its cache key. */
export function httpIdentitySource(map: ResolvedServiceMap): string[] {
  // The native JWT authorizer checks scopes per route itself.
  if (map.auth.authorizer === 'native') return ['$request.header.Authorization'];
  return ['$request.header.Authorization', ...(scopesDifferPerRoute(map) ? ['$context.routeKey'] : [])];
}

/** The REST API authorizer's identity source, which is also its cache key. */
export function restIdentitySource(map: ResolvedServiceMap): string[] {
  return ['method.request.header.Authorization', ...(scopesDifferPerRoute(map) ? ['context.resourcePath'] : [])];
}

/**
 * What WAF sees in front of a service path on the REST stage: the execute-api URL carries the stage
 * (`/prod/orders`); a custom domain does not (`/orders`).
 */
export function restWafPathPrefix(map: ResolvedServiceMap): string {
  return map.domain ? '' : `/${map.rest.stageName}`;
}

/**
 * The path a url service's backend receives behind the HTTP front door, as API Gateway's `overwrite:path`
 * mapping: the URL's own path, then the request path (or only what follows the service path, with
 * `stripPrefix`). Validation holds its length to the request-parameter limit.
 */
export function urlBackendPathMapping(url: string, stripPrefix: boolean, exactRoute: boolean): string {
  const base = new URL(url).pathname.replace(/\/+$/, '');
  if (!stripPrefix) return base ? `${base}\${request.path}` : '$request.path';
  if (exactRoute) return base || '/';
  return `${base}/\${request.path.proxy}`;
}
