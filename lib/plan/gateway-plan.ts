/**
 * The gateway plan: everything the gateway will be, decided once from the map, as plain data. The
 * constructs render it, `verify` compares a deployed stack with it, and the CLI prints it (`plan`).
 * Pure and deterministic: no CDK object, services in name order.
 */
import { requestParameters, urlIntegrationParameters } from './integration-mapping';
import { restProxyIntegration } from './rest-integration';
import { restCacheCluster, restMethodCache, STAGE_DEFAULT_CACHE, type RestCacheCluster, type RestMethodCache } from './rest-cache';
import { restApiKey, type RestApiKey } from './rest-api-keys';
import { gatewayThresholds, serviceThresholds, type GatewayThresholds, type ServiceThresholds } from './thresholds';
import { effectiveAuth, usagePlanName } from '../service-map/conventions';
import { preflightIntegrationKey, sharedIntegrationKey } from './placement';
import { NEW_VPC } from './target-group';
import type { MapWarning } from '../service-map/warnings';
import type { GatewayPlacement, ServicePlacement, SharedIntegrationKey } from './placement';
import type { ResolvedServiceMap } from '../service-map/schema';
import { planAuthorizer, type AuthorizerPlan } from './authorizer';
import { planCors, type CorsPlan } from './cors';
import type { FirewallPlan } from './firewall';
import { planQuotas, type QuotaUse } from './quotas';
import { routeAuthorization, routeThrottle, serviceRoutes, type AuthMode, type AuthorizationType, type Throttle } from './routes';

type ResolvedHealthCheck = NonNullable<ResolvedServiceMap['services'][string]['container']>['healthCheck'];

/** The host of an internal ALB in the plan's REST integration URIs: a DNS name exists only once deployed. */
export const PLANNED_ALB_HOST = '(ALB)';

/** The type of every HTTP API integration the gateway creates (HttpFrontDoor). */
const HTTP_INTEGRATION_TYPE = 'HTTP_PROXY';

/** What a route's integration sends to the backend. */
export interface IntegrationPlan {
  /** HTTP front door: the integration's construct id (container services share one per ALB, caller, path and timeout). */
  readonly id?: string;
  /**
   * API Gateway's integration type: `HTTP_PROXY`, the request passed on as it came (with the mapped headers
   * and path); `MOCK`, answered by API Gateway itself (the REST front door's CORS preflight methods).
   */
  readonly type: 'HTTP_PROXY' | 'MOCK';
  /** The verb the integration calls the backend with: `ANY` (the client's), or `GET` (a cached REST method); a `MOCK` calls none, and API Gateway is not sent it. */
  readonly httpMethod: 'ANY' | 'GET';
  /** `VPC_LINK`: an internal ALB; `INTERNET`: the url service's own URL (a `MOCK`: `INTERNET`, API Gateway's default, nothing is connected; its `timeoutMs` is the default too). */
  readonly connectionType: 'VPC_LINK' | 'INTERNET';
  /** `ALB <n>` or the service's URL. */
  readonly target: string;
  /** `VPC_LINK`: the index of the internal ALB (its listener on HTTP, the ALB itself on REST). */
  readonly loadBalancer?: number;
  /** HTTP front door: the integration's description in API Gateway. */
  readonly description?: string;
  /** REST front door: the backend URI (the ALB's host is `PLANNED_ALB_HOST`; {@link restIntegrationUri} fills it in). */
  readonly uri?: string;
  readonly timeoutMs: number;
  /** Every header and the path the gateway overwrites or removes, as API Gateway's request parameter mapping. */
  readonly requestParameters: Readonly<Record<string, string>>;
  /** REST GET methods of a cached service: what a cached response is keyed by. */
  readonly cacheKeyParameters?: readonly string[];
}

export interface RoutePlan {
  /** `ANY /orders` (HTTP route key) or `GET /orders/{proxy+}` (REST method). */
  readonly key: string;
  /** `OPTIONS`: a CORS preflight route (HTTP) or method (REST) of a map with cors, never behind an authorizer or an API key. */
  readonly method: 'ANY' | 'GET' | 'OPTIONS';
  readonly path: string;
  readonly exactRoute: boolean;
  /** The HTTP route key of the same path: the value of the service header the ALB rule matches. */
  readonly routeKey: string;
  readonly authorizationType: AuthorizationType;
  /** Scopes API Gateway checks on the route (native JWT authorizer only). */
  readonly authorizationScopes: readonly string[];
  readonly apiKeyRequired: boolean;
  /** The route's own stage throttle; absent: the stage default. */
  readonly throttle?: Throttle;
  /** REST methods with a stage setting of their own: its cache (the others use the stage default, no caching). */
  readonly cache?: { readonly cachingEnabled: boolean; readonly cacheTtlInSeconds?: number; readonly cacheDataEncrypted?: boolean };
  /**
   * REST methods: the request parameters the method declares (`true`: required): the proxied path, and
   * (optional) the headers and query strings a cached response is keyed by.
   */
  readonly methodRequestParameters?: Readonly<Record<string, boolean>>;
  readonly integration: IntegrationPlan;
}

/** Where a container service sits behind its internal ALB (what `FargateBackend` renders). */
export interface LoadBalancerPlan {
  /** Which internal ALB (0-based). */
  readonly index: number;
  /** The listener-rule priority on that ALB's listener, 1 to 50,000. */
  readonly priority: number;
  /** The target group's name, 32 characters at most. */
  readonly targetGroupName: string;
  /** The container port the target group sends requests to. */
  readonly port: number;
  /**
   * The VPC the target group name was made for (the name hashes every value whose change replaces the
   * target group, the VPC among them): the map's `network.vpcId`, `new VPC` for the VPC the gateway creates
   * from the map, or, for a gateway given a `vpc` or `cluster` prop, that VPC's id.
   */
  readonly vpc: string;
  /** The target group's health check (`container.healthCheckPath` and `container.healthCheck`, defaults filled). */
  readonly healthCheck: LoadBalancerHealthCheck;
  /**
   * The values of the gateway's service header (`x-gateway-service`) the listener rule matches: the
   * service's HTTP route keys (its path, and everything below it), which the front door writes into it.
   */
  readonly routeKeys: readonly string[];
}

/** A target group's health check: the path and `container.healthCheck` (seconds, counts, success codes). */
export type LoadBalancerHealthCheck = { readonly path: string } & ResolvedHealthCheck;

export interface ServicePlan {
  readonly name: string;
  readonly kind: 'container' | 'url';
  readonly path: string;
  readonly auth: AuthMode;
  /** Scopes a token needs (all of them, with the Lambda authorizer). */
  readonly scopes: readonly string[];
  /** The nested stack that holds the service's resources: its group number and construct id. */
  readonly nestedStack: { readonly group: number; readonly id: string };
  /** Container services: the internal ALB, the listener-rule priority, the target group name and its health check. */
  readonly loadBalancer?: LoadBalancerPlan;
  /** url services: the URL requests are proxied to. */
  readonly url?: string;
  readonly routes: readonly RoutePlan[];
  /**
   * With cors, the service's `OPTIONS` routes (methods), never behind an authorizer or an API key: on the
   * HTTP front door to its ALB's anonymous full-path integration (ALB 0 for a url service), whose preflight
   * rule answers them 204; on the REST front door a `MOCK` integration, API Gateway answering 204 itself.
   */
  readonly preflightRoutes: readonly RoutePlan[];
  /** Names of the web ACL rules scoped to this service. */
  readonly firewallRules: readonly string[];
  /** Alarm thresholds (a url service's alarms use its latency and 5xx thresholds; the task ones are for containers). */
  readonly alarms: ServiceThresholds;
}

/** A REST usage plan as API Gateway holds it. */
export interface UsagePlanPlan {
  /** The map's name of the plan (its key in `usagePlans`). */
  readonly name: string;
  /** Its name in API Gateway. */
  readonly usagePlanName: string;
  readonly description: string;
  readonly throttle: Throttle;
  readonly quota?: { readonly limit: number; readonly period: string };
}

/** What only the REST front door has: the stage's response cache, usage plans and API keys. */
export interface RestPlan {
  /** The stage's cache cluster (billed by the hour: only when a service caches). */
  readonly cacheCluster: RestCacheCluster;
  /** The cache part of the stage default method setting (`/*` `*`). */
  readonly defaultCache: RestMethodCache;
  /** Usage plans in name order. */
  readonly usagePlans: readonly UsagePlanPlan[];
  /** API keys in name order (`key`: the map's name); API Gateway generates their values. */
  readonly apiKeys: ReadonlyArray<RestApiKey & { readonly key: string }>;
}

export interface GatewayPlan {
  readonly name: string;
  readonly frontDoor: 'http' | 'rest';
  /** `$default` (HTTP API) or the REST stage's name. */
  readonly stageName: string;
  /** The map with every default filled in. */
  readonly map: ResolvedServiceMap;
  /** Where each service goes: nested stack, ALB, listener-rule priority, target group. */
  readonly placement: GatewayPlacement;
  /** Services in name order. */
  readonly services: readonly ServicePlan[];
  /** The stage default throttle (the gateway's `throttle`). */
  readonly stageThrottle: Throttle;
  readonly authorizer?: AuthorizerPlan;
  /** The map's `cors` as the front door renders it (the HTTP API's CORS configuration, or the REST preflight answer and gateway responses); absent without `cors`. */
  readonly cors?: CorsPlan;
  /** REST front door: the stage's response cache, usage plans and API keys. */
  readonly rest?: RestPlan;
  /** The web ACL; absent when `firewall.enabled` is false. */
  readonly firewall?: FirewallPlan;
  readonly alarms: GatewayThresholds;
  /** Quotas used against their limits. */
  readonly quotas: readonly QuotaUse[];
  /** Things that synthesize but deserve attention (map, placement and capacity warnings), each with its rule id. */
  readonly warnings: readonly MapWarning[];
}

/** Builds the plan of a map that passed the checks (placement done, firewall planned when enabled). */
export function buildPlan(map: ResolvedServiceMap, placement: GatewayPlacement, firewall: FirewallPlan | undefined, warnings: readonly MapWarning[]): GatewayPlan {
  const services = placement.services.map((p) => planService(map, p, firewall));
  return {
    name: map.name,
    frontDoor: map.frontDoor,
    stageName: map.frontDoor === 'rest' ? map.rest.stageName : '$default',
    map,
    placement,
    services,
    stageThrottle: { rateLimit: map.throttle.rateLimit, burstLimit: map.throttle.burstLimit },
    authorizer: planAuthorizer(map),
    ...(map.cors ? { cors: planCors(map) } : {}),
    ...(map.frontDoor === 'rest' ? { rest: planRest(map) } : {}),
    firewall,
    alarms: gatewayThresholds(map),
    quotas: planQuotas(placement, firewall),
    warnings,
  };
}

function planRest(map: ResolvedServiceMap): RestPlan {
  return {
    cacheCluster: restCacheCluster(map),
    defaultCache: STAGE_DEFAULT_CACHE,
    usagePlans: Object.keys(map.usagePlans).sort().map((name): UsagePlanPlan => {
      const plan = map.usagePlans[name];
      return {
        name,
        usagePlanName: usagePlanName(map, name),
        description: `${map.name} gateway: usage plan "${name}"`,
        throttle: { rateLimit: plan.rateLimit, burstLimit: plan.burstLimit },
        ...(plan.quota ? { quota: { limit: plan.quota.limit, period: plan.quota.period } } : {}),
      };
    }),
    apiKeys: Object.keys(map.apiKeys).sort().map((key) => ({ key, ...restApiKey(map, key) })),
  };
}

/** The construct id of a service group's nested stack. */
export function nestedStackId(group: number): string {
  return `ServiceGroup${String(group).padStart(2, '0')}`;
}

function planService(map: ResolvedServiceMap, p: ServicePlacement, firewall: FirewallPlan | undefined): ServicePlan {
  const svc = p.service;
  const authorization = routeAuthorization(map, svc);
  const throttle = routeThrottle(map, svc);
  const routes = serviceRoutes(map, svc).map((r): RoutePlan => {
    const integration = map.frontDoor === 'rest' ? restIntegrationPlan(p, r.method, r.exactRoute, r.routeKey) : httpIntegrationPlan(map, p, r.exactRoute);
    return {
      key: `${r.method} ${r.path}`,
      method: r.method,
      path: r.path,
      exactRoute: r.exactRoute,
      routeKey: r.routeKey,
      ...authorization,
      ...(throttle ? { throttle } : {}),
      // A REST method with a stage setting of its own (it has a throttle then) says its cache there.
      ...(map.frontDoor === 'rest' && throttle ? { cache: pick(restMethodCache(svc, r.method), ['cachingEnabled', 'cacheTtlInSeconds', 'cacheDataEncrypted']) } : {}),
      ...(map.frontDoor === 'rest' ? { methodRequestParameters: restMethodRequestParameters(r.exactRoute, integration.cacheKeyParameters) } : {}),
      integration,
    };
  });
  const preflightRoutes = map.frontDoor === 'rest' ? restPreflightMethods(map, routes) : p.preflightRouteKeys.map((routeKey, i): RoutePlan => {
    const key = preflightIntegrationKey(p);
    const path = routeKey.split(' ')[1];
    return {
      key: routeKey,
      method: 'OPTIONS',
      path,
      exactRoute: i === 0,
      routeKey,
      authorizationType: 'NONE',
      authorizationScopes: [],
      apiKeyRequired: false,
      integration: albIntegrationPlan(map, key),
    };
  });
  return {
    name: p.name,
    kind: p.kind,
    path: svc.path,
    auth: effectiveAuth(map, svc),
    scopes: svc.scopes,
    nestedStack: { group: p.group, id: nestedStackId(p.group) },
    ...(p.kind === 'container'
      ? {
          loadBalancer: {
            index: p.loadBalancer!,
            priority: p.priority!,
            targetGroupName: p.targetGroupName!,
            port: svc.container!.port,
            vpc: map.network.vpcId ?? NEW_VPC,
            healthCheck: { path: svc.container!.healthCheckPath, ...svc.container!.healthCheck },
            routeKeys: [...p.routeKeys],
          },
        }
      : { url: svc.url }),
    routes,
    preflightRoutes,
    firewallRules: (firewall?.rules ?? []).filter((r) => r.service === p.name).map((r) => r.name),
    alarms: serviceThresholds(map, svc),
  };
}

function httpIntegrationPlan(map: ResolvedServiceMap, p: ServicePlacement, exactRoute: boolean): IntegrationPlan {
  const svc = p.service;
  const key = sharedIntegrationKey(p, exactRoute);
  if (p.kind === 'url') {
    const url = svc.url!;
    return {
      id: svc.stripPrefix && exactRoute ? 'IntegrationExact' : 'Integration',
      type: HTTP_INTEGRATION_TYPE,
      httpMethod: 'ANY',
      connectionType: 'INTERNET',
      target: url,
      // API Gateway allows 1,024 characters; a URL may have 2,048.
      description: `${p.name}: ${url.length > 200 ? `${url.slice(0, 199)}…` : url}`,
      timeoutMs: svc.timeoutMs,
      requestParameters: urlIntegrationParameters(svc.url!, key.caller, map.auth.authorizer, svc.stripPrefix, exactRoute),
    };
  }
  return albIntegrationPlan(map, key);
}

/** An HTTP API integration shared over the VPC link to one ALB (container services and preflight routes). */
function albIntegrationPlan(map: ResolvedServiceMap, key: SharedIntegrationKey): IntegrationPlan {
  return {
    id: key.id,
    type: HTTP_INTEGRATION_TYPE,
    httpMethod: 'ANY',
    connectionType: 'VPC_LINK',
    target: `ALB ${key.loadBalancer}`,
    loadBalancer: key.loadBalancer,
    description: key.description,
    timeoutMs: key.timeoutMs,
    requestParameters: requestParameters(key.caller, map.auth.authorizer, key.path),
  };
}

/** REST with cors: an `OPTIONS` method beside each `ANY` method, answered by API Gateway (MOCK, 204). */
function restPreflightMethods(map: ResolvedServiceMap, routes: readonly RoutePlan[]): RoutePlan[] {
  if (!map.cors) return [];
  return routes
    .filter((r) => r.method === 'ANY')
    .map((r) => ({
      key: `OPTIONS ${r.path}`,
      method: 'OPTIONS',
      path: r.path,
      exactRoute: r.exactRoute,
      routeKey: r.routeKey,
      authorizationType: 'NONE',
      authorizationScopes: [],
      apiKeyRequired: false,
      integration: { type: 'MOCK', httpMethod: 'ANY', connectionType: 'INTERNET', target: 'API Gateway (204 with the CORS headers)', timeoutMs: 29_000, requestParameters: {} },
    }));
}

function restIntegrationPlan(p: ServicePlacement, httpMethod: 'ANY' | 'GET', exactRoute: boolean, routeKey: string): IntegrationPlan {
  const i = restProxyIntegration({ placement: p, exactRoute, httpMethod, routeKey, loadBalancerDnsName: PLANNED_ALB_HOST });
  return {
    type: i.type,
    httpMethod: i.integrationHttpMethod,
    connectionType: i.connectionType,
    target: p.kind === 'url' ? p.service.url! : `ALB ${p.loadBalancer}`,
    ...(p.kind === 'container' ? { loadBalancer: p.loadBalancer! } : {}),
    uri: i.uri,
    timeoutMs: i.timeoutInMillis,
    requestParameters: i.requestParameters,
    ...(i.cacheKeyParameters ? { cacheKeyParameters: i.cacheKeyParameters } : {}),
  };
}

/** What a REST method declares: the proxied path (required), and the other cache keys (optional, so that the cache key can include them). */
function restMethodRequestParameters(exactRoute: boolean, cacheKeyParameters: readonly string[] | undefined): Record<string, boolean> {
  return {
    ...(exactRoute ? {} : { 'method.request.path.proxy': true }),
    ...Object.fromEntries((cacheKeyParameters ?? []).filter((k) => !k.startsWith('method.request.path.')).map((k) => [k, false])),
  };
}

/** A planned REST integration's URI with the ALB's DNS name (a token at synth) in place of `PLANNED_ALB_HOST`. */
export function restIntegrationUri(integration: IntegrationPlan, loadBalancerDnsName: string | undefined): string {
  const uri = integration.uri!;
  const planned = `http://${PLANNED_ALB_HOST}`;
  if (integration.connectionType === 'INTERNET' || !uri.startsWith(planned)) return uri;
  if (loadBalancerDnsName === undefined) throw new Error(`${integration.target}: a container integration needs its ALB's DNS name`);
  return `http://${loadBalancerDnsName}${uri.slice(planned.length)}`;
}

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.filter((k) => value[k] !== undefined).map((k) => [k, value[k]])) as Pick<T, K>;
}
