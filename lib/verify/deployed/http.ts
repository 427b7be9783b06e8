/**
 * The deployed state of an HTTP API (API Gateway v2), reduced to items comparable with the map.
 */
import type { Authorizer, GetStageResponse, Integration, Route } from '@aws-sdk/client-apigatewayv2';
import { type Item, listValue, NOT_SET, throttleValue } from '../items';

export interface HttpApiState {
  readonly routes: readonly Route[];
  readonly integrations: readonly Integration[];
  readonly authorizers: readonly Authorizer[];
  /** Undefined when the stage does not exist. */
  readonly stage?: GetStageResponse;
}

export interface HttpApiReader {
  /** Everything verify compares, or undefined when the API does not exist. */
  readApi(apiId: string, stageName: string): Promise<HttpApiState | undefined>;
}

export function routeItem(routeKey: string): string {
  return `route ${routeKey}`;
}

export function deployedRouteItems(state: HttpApiState): Item[] {
  const integrations = new Map(state.integrations.map((i) => [i.IntegrationId, i]));
  return state.routes.map((route) => {
    const auth = route.AuthorizationType ?? 'NONE';
    return {
      item: routeItem(route.RouteKey ?? '(no route key)'),
      attributes: {
        auth,
        ...(auth === 'JWT' ? { scopes: listValue(route.AuthorizationScopes) } : {}),
        ...integrationAttributes(route.Target, integrations),
      },
    };
  });
}

function integrationAttributes(target: string | undefined, integrations: Map<string | undefined, Integration>): Record<string, string> {
  const id = target?.startsWith('integrations/') ? target.slice('integrations/'.length) : undefined;
  if (!id) return { integration: target ? `(target ${target})` : '(no target)' };
  const integration = integrations.get(id);
  if (!integration) return { integration: `(integration ${id} does not exist)` };
  if (integration.ConnectionType === 'VPC_LINK') return { integration: `${integration.IntegrationType} over VPC_LINK` };
  return {
    integration: `${integration.IntegrationType} ${integration.IntegrationUri ?? NOT_SET}`,
    timeout: integration.TimeoutInMillis === undefined ? NOT_SET : `${integration.TimeoutInMillis} ms`,
  };
}

export function authorizerItem(name: string): string {
  return `authorizer ${name}`;
}

/**
 * The authorizers, named by their Name. A JWT authorizer that is the API's only one is matched to
 * `expectedName` whatever it is called, since the name of a native authorizer is not part of the contract.
 */
export function deployedAuthorizerItems(state: HttpApiState, expectedName?: string): Item[] {
  const jwt = state.authorizers.filter((a) => a.AuthorizerType === 'JWT');
  const renameLoneJwt = expectedName !== undefined && jwt.length === 1 && !state.authorizers.some((a) => a.Name === expectedName);
  return state.authorizers.map((a) => {
    const name = renameLoneJwt && a === jwt[0] ? expectedName : (a.Name ?? a.AuthorizerId ?? '(unnamed)');
    const attributes: Record<string, string> = { type: a.AuthorizerType ?? NOT_SET };
    if (a.AuthorizerType === 'REQUEST') {
      attributes.cacheTtl = a.AuthorizerResultTtlInSeconds === undefined ? NOT_SET : `${a.AuthorizerResultTtlInSeconds} s`;
    } else if (a.AuthorizerType === 'JWT') {
      attributes.issuer = a.JwtConfiguration?.Issuer ?? NOT_SET;
      attributes.audience = listValue(a.JwtConfiguration?.Audience);
    }
    return { item: authorizerItem(name), attributes };
  });
}

export function stageDefaultThrottleItem(stageName: string): string {
  return `stage ${stageName} default throttle`;
}

export function stageRouteThrottleItem(stageName: string, routeKey: string): string {
  return `stage ${stageName} throttle ${routeKey}`;
}

/** The stage's default throttle, and every route setting that sets a throttle. */
export function deployedStageItems(state: HttpApiState, stageName: string): Item[] {
  const stage = state.stage;
  if (!stage) return [];
  const defaults = stage.DefaultRouteSettings;
  const items: Item[] = [
    { item: stageDefaultThrottleItem(stageName), attributes: throttleValue(defaults?.ThrottlingRateLimit, defaults?.ThrottlingBurstLimit) },
  ];
  for (const [routeKey, settings] of Object.entries(stage.RouteSettings ?? {})) {
    if (settings.ThrottlingRateLimit === undefined && settings.ThrottlingBurstLimit === undefined) continue;
    items.push({
      item: stageRouteThrottleItem(stageName, routeKey),
      attributes: throttleValue(settings.ThrottlingRateLimit, settings.ThrottlingBurstLimit),
    });
  }
  return items;
}
