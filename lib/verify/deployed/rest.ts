/**
 * The deployed state of a REST API (API Gateway v1), reduced to items comparable with the map.
 */
import type { Authorizer, GatewayResponse, Integration, Method, MethodSetting, Resource, Stage, UsagePlan } from '@aws-sdk/client-api-gateway';
import { type Item, listValue, NOT_SET, parameterValues, throttleValue, unitValue } from '../items';
import { authorizerItem } from './http';
import { restResourcePathOf } from '../../service-map/conventions';
import { PLANNED_ALB_HOST } from '../../plan/gateway-plan';

export interface RestApiState {
  /** Every resource, with its methods embedded. */
  readonly resources: readonly Resource[];
  /** Undefined when the stage does not exist. */
  readonly stage?: Stage;
  /** The usage plans that include this API's stage. */
  readonly usagePlans: readonly UsagePlan[];
  readonly authorizers: readonly Authorizer[];
  /** Every API key of the account and Region (keys are not per API), without its value. */
  readonly apiKeys: readonly DeployedApiKey[];
  /** The IDs of the API keys bound to each of `usagePlans`, by plan ID. */
  readonly usagePlanKeyIds: Readonly<Record<string, readonly string[]>>;
  /** The gateway responses (GetGatewayResponses): the customized ones, and API Gateway's defaults (`defaultResponse`). */
  readonly gatewayResponses?: readonly GatewayResponse[];
}

/** What verify keeps of an API key: never its value. */
export interface DeployedApiKey {
  readonly id?: string;
  readonly name?: string;
  readonly enabled?: boolean;
}

export interface RestApiReader {
  /** Everything verify compares, or undefined when the API does not exist. */
  readApi(restApiId: string, stageName: string): Promise<RestApiState | undefined>;
}

export function methodItem(httpMethod: string, path: string): string {
  return `method ${httpMethod} ${path}`;
}

export function methodAttributes(authorizationType: string | undefined, apiKeyRequired: boolean | undefined): Record<string, string> {
  return { auth: authorizationType ?? NOT_SET, apiKey: apiKeyRequired ? 'required' : 'not required' };
}

/** Every method of every resource (CORS preflight OPTIONS methods too: the plan lists them). */
export function deployedMethods(state: RestApiState): Array<{ httpMethod: string; path: string; method: Method }> {
  return state.resources.flatMap((resource) =>
    Object.entries(resource.resourceMethods ?? {}).map(([httpMethod, method]) => ({ httpMethod, path: resource.path ?? '(no path)', method })),
  );
}

export function deployedMethodItems(state: RestApiState): Item[] {
  return deployedMethods(state).map((m) => ({
    item: methodItem(m.httpMethod, m.path),
    attributes: methodAttributes(m.method.authorizationType, m.method.apiKeyRequired),
  }));
}

export function restIntegrationItem(httpMethod: string, path: string): string {
  return `integration ${httpMethod} ${path}`;
}

export function restIntegrationParametersItem(httpMethod: string, path: string): string {
  return `integration parameters ${httpMethod} ${path}`;
}

/**
 * Stands in for the ALB's address in the URI of a VPC link integration: the map does not know the
 * address, so only the scheme and the path the ALB sees are compared.
 */
export const ALB_ADDRESS = PLANNED_ALB_HOST;

/**
 * A method's integration: type, connection, verb, backend URI, timeout and, where there are any, the
 * cache key parameters (only cached GET methods have them).
 */
export function restIntegrationAttributes(integration: Integration): Record<string, string> {
  // A MOCK (a CORS preflight) is answered by API Gateway: no backend, URI or verb to compare.
  if (integration.type === 'MOCK') return { type: 'MOCK' };
  const uri = integration.uri;
  return {
    type: integration.type ?? NOT_SET,
    connection: integration.connectionType ?? NOT_SET,
    method: integration.httpMethod ?? NOT_SET,
    uri: uri === undefined ? NOT_SET : integration.connectionType === 'VPC_LINK' ? uri.replace(/^([a-z]+:\/\/)[^/]*/i, `$1${ALB_ADDRESS}`) : uri,
    timeout: unitValue(integration.timeoutInMillis, 'ms'),
    ...(integration.cacheKeyParameters?.length ? { cacheKeys: listValue(integration.cacheKeyParameters) } : {}),
  };
}

/** REST mappings: `integration.request.header.x-gateway-user` -> `header.x-gateway-user` = its source (`context.authorizer.sub`, a quoted static value). */
export function restRequestParameterAttributes(parameters: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return parameterValues(Object.entries(parameters ?? {}).map(([key, value]) => [key.replace(/^integration\.request\./, ''), value] as const));
}

/**
 * Every method's integration and its request parameters. A method without an integration, or with a
 * MOCK one, gets no parameters item: its integration row already says what it is.
 */
export function deployedIntegrationItems(state: RestApiState): Item[] {
  return deployedMethods(state).flatMap((m) => {
    const integration = m.method.methodIntegration;
    return [
      { item: restIntegrationItem(m.httpMethod, m.path), attributes: restIntegrationAttributes(integration ?? {}) },
      ...(integration && integration.type !== 'MOCK' ? [{ item: restIntegrationParametersItem(m.httpMethod, m.path), attributes: restRequestParameterAttributes(integration.requestParameters) }] : []),
    ];
  });
}

/** A REST authorizer, formatted the same way on both sides; the identity source is comma-separated. */
export function restAuthorizerAttributes(type: string | undefined, ttlSeconds: number | undefined, identitySource: string | undefined): Record<string, string> {
  return {
    type: type ?? NOT_SET,
    cacheTtl: unitValue(ttlSeconds, 's'),
    identitySource: listValue(identitySource?.split(',').map((s) => s.trim()).filter(Boolean)),
  };
}

export function deployedRestAuthorizerItems(state: RestApiState): Item[] {
  return state.authorizers.map((a) => ({
    item: authorizerItem(a.name ?? a.id ?? '(unnamed)'),
    attributes: restAuthorizerAttributes(a.type, a.authorizerResultTtlInSeconds, a.identitySource),
  }));
}

export function restDefaultThrottleItem(stageName: string): string {
  return `stage ${stageName} default throttle`;
}

export function restMethodThrottleItem(stageName: string, httpMethod: string, path: string): string {
  return `stage ${stageName} throttle ${httpMethod} ${path}`;
}

/**
 * Method settings keyed `<resource path>/<method>`: `*\/*` is the stage default; AWS writes the path's
 * slashes as `~1` (`~1orders~1{proxy+}/ANY`). A method of `*` is reported as ANY.
 */
function stageMethodSettings(stage: Stage): { stageDefault?: MethodSetting; methods: Array<{ httpMethod: string; path: string; setting: MethodSetting }> } {
  // The API reference writes keys with a leading slash (`/*/*`), responses without; accept both.
  const settings = Object.entries(stage.methodSettings ?? {}).map(([k, v]) => [k.replace(/^\//, ''), v] as const);
  const methods = settings
    .filter(([key]) => key !== '*/*')
    .map(([key, setting]) => {
      const slash = key.lastIndexOf('/');
      const method = key.slice(slash + 1);
      return { httpMethod: method === '*' ? 'ANY' : method, path: `/${restResourcePathOf(key.slice(0, slash))}`.replace(/^\/\//, '/'), setting };
    });
  return { stageDefault: settings.find(([key]) => key === '*/*')?.[1], methods };
}

export function deployedStageThrottleItems(state: RestApiState, stageName: string): Item[] {
  const stage = state.stage;
  if (!stage) return [];
  const { stageDefault, methods } = stageMethodSettings(stage);
  return [
    { item: restDefaultThrottleItem(stageName), attributes: throttleValue(stageDefault?.throttlingRateLimit, stageDefault?.throttlingBurstLimit) },
    ...methods.map((m) => ({ item: restMethodThrottleItem(stageName, m.httpMethod, m.path), attributes: throttleValue(m.setting.throttlingRateLimit, m.setting.throttlingBurstLimit) })),
  ];
}

export function restCacheClusterItem(stageName: string): string {
  return `stage ${stageName} cache cluster`;
}

export function restDefaultCacheItem(stageName: string): string {
  return `stage ${stageName} default cache`;
}

export function restMethodCacheItem(stageName: string, httpMethod: string, path: string): string {
  return `stage ${stageName} cache ${httpMethod} ${path}`;
}

/** The stage's cache cluster; its size only counts while it exists (API Gateway may keep reporting it after). */
export function cacheClusterAttributes(enabled: boolean | undefined, sizeGb: string | undefined): Record<string, string> {
  return enabled ? { cluster: 'on', size: sizeGb === undefined ? NOT_SET : `${sizeGb} GB` } : { cluster: 'off' };
}

/** A method's response cache; the TTL only counts when it caches (API Gateway reports 300 s either way). */
export function methodCacheAttributes(cachingEnabled: boolean | undefined, ttlSeconds: number | undefined): Record<string, string> {
  return cachingEnabled ? { caching: 'on', ttl: unitValue(ttlSeconds, 's') } : { caching: 'off' };
}

/**
 * A method setting that caches. Settings the map does not make matter only then: such a method's
 * responses would be cached without the cache key that keeps one caller's answer from another.
 */
export function isCachedMethod(item: Item): boolean {
  return item.attributes.caching === 'on';
}

/** The cache cluster, the stage default's caching and every method setting's. */
export function deployedStageCacheItems(state: RestApiState, stageName: string): Item[] {
  const stage = state.stage;
  if (!stage) return [];
  const { stageDefault, methods } = stageMethodSettings(stage);
  return [
    { item: restCacheClusterItem(stageName), attributes: cacheClusterAttributes(stage.cacheClusterEnabled, stage.cacheClusterSize) },
    { item: restDefaultCacheItem(stageName), attributes: methodCacheAttributes(stageDefault?.cachingEnabled, stageDefault?.cacheTtlInSeconds) },
    ...methods.map((m) => ({ item: restMethodCacheItem(stageName, m.httpMethod, m.path), attributes: methodCacheAttributes(m.setting.cachingEnabled, m.setting.cacheTtlInSeconds) })),
  ];
}

export function usagePlanItem(name: string): string {
  return `usage plan ${name}`;
}

export function usagePlanAttributes(
  throttle: { rateLimit?: number; burstLimit?: number } | undefined,
  quota: { limit?: number; period?: string } | undefined,
): Record<string, string> {
  return {
    ...throttleValue(throttle?.rateLimit, throttle?.burstLimit),
    quota: quota?.limit === undefined ? NOT_SET : `${quota.limit} per ${quota.period}`,
  };
}

/** The usage plans of the stage, by their names in API Gateway (as the API keys are). */
export function deployedUsagePlanItems(state: RestApiState): Item[] {
  return state.usagePlans.map((plan) => ({
    item: usagePlanItem(plan.name ?? plan.id ?? '(unnamed)'),
    attributes: usagePlanAttributes(
      plan.throttle && { rateLimit: plan.throttle.rateLimit, burstLimit: plan.throttle.burstLimit },
      plan.quota && { limit: plan.quota.limit, period: plan.quota.period },
    ),
  }));
}

export function apiKeyItem(name: string): string {
  return `api key ${name}`;
}

/** Whether the key works, and the usage plans (by their names in API Gateway) it is bound to. */
export function apiKeyAttributes(enabled: boolean | undefined, usagePlanNames: readonly string[]): Record<string, string> {
  return { state: enabled ? 'enabled' : 'disabled', plan: listValue(usagePlanNames) };
}

/**
 * The API keys that can call this stage (bound to one of its usage plans), and those named like the
 * map's keys, bound or not. Keys are account-wide: the others belong to other APIs. Keys are shown by
 * their names in API Gateway, so two keys never share a row.
 */
export function deployedApiKeyItems(state: RestApiState, mapKeyNames: readonly string[]): Item[] {
  const named = new Set(mapKeyNames);
  return state.apiKeys.flatMap((key) => {
    const plans = state.usagePlans.filter((p) => key.id !== undefined && p.id !== undefined && state.usagePlanKeyIds[p.id]?.includes(key.id));
    if (plans.length === 0 && !named.has(key.name ?? '')) return [];
    return [{ item: apiKeyItem(key.name ?? key.id ?? '(unnamed)'), attributes: apiKeyAttributes(key.enabled, plans.map((p) => p.name ?? p.id!)) }];
  });
}
