/**
 * The integration of a REST method: the same gateway headers as the HTTP front door (overwritten,
 * so clients cannot forge them), an explicit backend URI so the stage name never reaches a backend,
 * and cache keys that never let one caller's cached response reach another.
 */
import { GATEWAY_HEADERS } from '../service-map/conventions';
import type { ServicePlacement } from './placement';

const header = (name: string) => `integration.request.header.${name}`;

/** A method's integration inputs without CDK objects: the ALB is known by its DNS name only. */
export interface RestProxyIntegrationOptions {
  readonly placement: ServicePlacement;
  /** The method on the service's own path (true) or on `{proxy+}` below it (false). */
  readonly exactRoute: boolean;
  /** The value of the service header: the same route keys the ALB rules match for the HTTP front door. */
  readonly routeKey: string;
  /** The method's verb: `ANY` (uncached) or `GET` (the cached method of a service with `cache`, keyed by `restCacheKeyParameters`). */
  readonly httpMethod: 'ANY' | 'GET';
  /** Container services: the ALB's DNS name (the plan passes `PLANNED_ALB_HOST`; the front door fills in the real one). */
  readonly loadBalancerDnsName?: string;
}

/**
 * The part of a method's integration that the map decides, with no CDK object: the headers, the
 * backend URI, timeout and cache keys. The plan records it; `RestFrontDoor` renders it with the VPC link
 * and the ALB, and `verify` compares the deployed integration with it.
 */
export interface RestProxyIntegration {
  readonly type: 'HTTP_PROXY';
  readonly connectionType: 'INTERNET' | 'VPC_LINK';
  readonly integrationHttpMethod: 'ANY' | 'GET';
  readonly uri: string;
  readonly timeoutInMillis: number;
  readonly requestParameters: Record<string, string>;
  readonly cacheKeyParameters?: string[];
  readonly passthroughBehavior: 'WHEN_NO_MATCH';
}

export function restProxyIntegration(o: RestProxyIntegrationOptions): RestProxyIntegration {
  const svc = o.placement.service;
  const verified = o.placement.auth === 'jwt';
  const requestParameters: Record<string, string> = {
    [header(GATEWAY_HEADERS.service)]: `'${o.routeKey}'`,
    [header(GATEWAY_HEADERS.clientIp)]: 'context.identity.sourceIp',
    // REST mappings cannot remove a header; an empty static value overwrites a forged one.
    [header(GATEWAY_HEADERS.user)]: verified ? 'context.authorizer.sub' : "''",
    [header(GATEWAY_HEADERS.scopes)]: verified ? 'context.authorizer.scope' : "''",
  };
  if (!o.exactRoute) requestParameters['integration.request.path.proxy'] = 'method.request.path.proxy';

  const common = {
    type: 'HTTP_PROXY',
    integrationHttpMethod: o.httpMethod,
    timeoutInMillis: svc.timeoutMs,
    requestParameters,
    cacheKeyParameters: o.httpMethod === 'GET' ? restCacheKeyParameters(o.placement, o.exactRoute) : undefined,
    passthroughBehavior: 'WHEN_NO_MATCH',
  } as const;
  if (o.placement.kind === 'url') {
    return { ...common, connectionType: 'INTERNET', uri: `${svc.url!.replace(/\/+$/, '')}${backendPath(svc.path, svc.stripPrefix, o.exactRoute)}` };
  }
  if (o.loadBalancerDnsName === undefined) throw new Error(`service ${o.placement.name}: a container integration needs its ALB's DNS name`);
  // The full service path: API Gateway may put the stage in front of it, so the prefix (and the stage)
  // are removed at the ALB, by the service's listener rule (RestFrontDoor.backendPathRewrite).
  return { ...common, connectionType: 'VPC_LINK', uri: `http://${o.loadBalancerDnsName}${backendPath(svc.path, false, o.exactRoute)}` };
}

/** The path part of the backend URI: the service path (or nothing, with stripPrefix), then the proxy. */
export function backendPath(servicePath: string, stripPrefix: boolean, exactRoute: boolean): string {
  const prefix = stripPrefix || servicePath === '/' ? '' : servicePath;
  if (exactRoute) return prefix || '/';
  return `${prefix}/{proxy}`;
}

/**
 * What a cached response is keyed by, besides the resource: the proxied path, the caller (its token or
 * API key, so that one caller never gets another's response) and the query strings the map names.
 */
export function restCacheKeyParameters(placement: ServicePlacement, exactRoute: boolean): string[] {
  const svc = placement.service;
  return [
    ...(exactRoute ? [] : ['method.request.path.proxy']),
    ...(placement.auth === 'jwt' ? ['method.request.header.Authorization'] : []),
    ...(placement.auth === 'apiKey' ? ['method.request.header.x-api-key'] : []),
    ...(svc.cache?.queryStrings ?? []).map((name) => `method.request.querystring.${name}`),
  ];
}
