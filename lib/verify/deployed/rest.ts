/**
 * The deployed state of a REST API (API Gateway v1), reduced to items comparable with the map.
 */
import type { Authorizer, Resource, Stage, UsagePlan } from '@aws-sdk/client-api-gateway';
import { type Item, listValue, NOT_SET, throttleValue } from '../items';
import { authorizerItem } from './http';

export interface RestApiState {
  /** Every resource, with its methods embedded. */
  readonly resources: readonly Resource[];
  /** Undefined when the stage does not exist. */
  readonly stage?: Stage;
  /** The usage plans that include this API's stage. */
  readonly usagePlans: readonly UsagePlan[];
  readonly authorizers: readonly Authorizer[];
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

/** Every method of every resource; OPTIONS methods are left out when CORS preflight answers them. */
export function deployedMethodItems(state: RestApiState, options: { ignoreOptions: boolean }): Item[] {
  return state.resources.flatMap((resource) =>
    Object.entries(resource.resourceMethods ?? {})
      .filter(([method]) => !(options.ignoreOptions && method === 'OPTIONS'))
      .map(([method, m]) => ({
        item: methodItem(method, resource.path ?? '(no path)'),
        attributes: methodAttributes(m.authorizationType, m.apiKeyRequired),
      })),
  );
}

/** A REST authorizer, formatted the same way on both sides; the identity source is comma-separated. */
export function restAuthorizerAttributes(type: string | undefined, ttlSeconds: number | undefined, identitySource: string | undefined): Record<string, string> {
  return {
    type: type ?? NOT_SET,
    cacheTtl: ttlSeconds === undefined ? NOT_SET : `${ttlSeconds} s`,
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
export function deployedStageThrottleItems(state: RestApiState, stageName: string): Item[] {
  const stage = state.stage;
  if (!stage) return [];
  // The API reference writes keys with a leading slash (`/*/*`), responses without; accept both.
  const settings = Object.fromEntries(Object.entries(stage.methodSettings ?? {}).map(([k, v]) => [k.replace(/^\//, ''), v]));
  const all = settings['*/*'];
  const items: Item[] = [{ item: restDefaultThrottleItem(stageName), attributes: throttleValue(all?.throttlingRateLimit, all?.throttlingBurstLimit) }];
  for (const [key, s] of Object.entries(settings)) {
    if (key === '*/*') continue;
    const slash = key.lastIndexOf('/');
    const method = key.slice(slash + 1);
    const path = `/${key.slice(0, slash).replace(/~1/g, '/')}`.replace(/^\/\//, '/');
    items.push({
      item: restMethodThrottleItem(stageName, method === '*' ? 'ANY' : method, path),
      attributes: throttleValue(s.throttlingRateLimit, s.throttlingBurstLimit),
    });
  }
  return items;
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

/** Plans named either like the map's key or `<gateway name>-<key>`. */
export function deployedUsagePlanItems(state: RestApiState, gatewayName: string): Item[] {
  return state.usagePlans.map((plan) => {
    const name = plan.name ?? plan.id ?? '(unnamed)';
    const short = name.startsWith(`${gatewayName}-`) ? name.slice(gatewayName.length + 1) : name;
    return {
      item: usagePlanItem(short),
      attributes: usagePlanAttributes(
        plan.throttle && { rateLimit: plan.throttle.rateLimit, burstLimit: plan.throttle.burstLimit },
        plan.quota && { limit: plan.quota.limit, period: plan.quota.period },
      ),
    };
  });
}
