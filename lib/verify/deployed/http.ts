/**
 * The deployed state of an HTTP API (API Gateway v2), reduced to items comparable with the map.
 */
import type { Authorizer, Cors, GetStageResponse, Integration, Route } from '@aws-sdk/client-apigatewayv2';
import { type Item, listValue, NOT_SET, parameterValues, throttleValue, unitValue } from '../items';

export interface HttpApiState {
  readonly routes: readonly Route[];
  readonly integrations: readonly Integration[];
  readonly authorizers: readonly Authorizer[];
  /** Undefined when the stage does not exist. */
  readonly stage?: GetStageResponse;
  /** The API's own CORS configuration (GetApi); undefined when it has none. */
  readonly corsConfiguration?: Cors;
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

function integrationId(target: string | undefined): string | undefined {
  return target?.startsWith('integrations/') ? target.slice('integrations/'.length) : undefined;
}

function integrationAttributes(target: string | undefined, integrations: Map<string | undefined, Integration>): Record<string, string> {
  const id = integrationId(target);
  if (!id) return { integration: target ? `(target ${target})` : '(no target)' };
  const integration = integrations.get(id);
  if (!integration) return { integration: `(integration ${id} does not exist)` };
  if (integration.ConnectionType === 'VPC_LINK') return { integration: `${integration.IntegrationType} over VPC_LINK` };
  return {
    integration: `${integration.IntegrationType} ${integration.IntegrationUri ?? NOT_SET}`,
    timeout: unitValue(integration.TimeoutInMillis, 'ms'),
  };
}

export function integrationParametersItem(routeKey: string): string {
  return `integration parameters ${routeKey}`;
}

/** HTTP API mappings: `overwrite:header.x-gateway-user` -> `header.x-gateway-user` = `overwrite $context.authorizer.sub`. */
export function requestParameterAttributes(parameters: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return parameterValues(
    Object.entries(parameters ?? {}).map(([key, value]) => {
      const colon = key.indexOf(':');
      const action = colon < 0 ? '' : key.slice(0, colon);
      // A removal's value is ignored by API Gateway.
      return [key.slice(colon + 1), action === 'remove' ? 'remove' : `${action} ${value}`.trim()] as const;
    }),
  );
}

/**
 * The request parameters of the integration each route targets. Routes without an integration get no
 * item: their route row already says so.
 */
export function deployedIntegrationParameterItems(state: HttpApiState): Item[] {
  const integrations = new Map(state.integrations.map((i) => [i.IntegrationId, i]));
  return state.routes.flatMap((route) => {
    const integration = integrations.get(integrationId(route.Target));
    if (!integration) return [];
    return [{ item: integrationParametersItem(route.RouteKey ?? '(no route key)'), attributes: requestParameterAttributes(integration.RequestParameters) }];
  });
}

export function authorizerItem(name: string): string {
  return `authorizer ${name}`;
}

/** A Lambda (REQUEST) authorizer, formatted the same way on both sides. */
export function lambdaAuthorizerAttributes(
  ttlSeconds: number | undefined,
  identitySource: readonly string[] | undefined,
  payloadFormat: string | undefined,
  simpleResponses: boolean | undefined,
): Record<string, string> {
  return {
    type: 'REQUEST',
    cacheTtl: unitValue(ttlSeconds, 's'),
    identitySource: listValue(identitySource),
    payloadFormat: payloadFormat ?? NOT_SET,
    // Left out means false: the Lambda must return an IAM policy.
    simpleResponses: String(simpleResponses ?? false),
  };
}

/** A native JWT authorizer, formatted the same way on both sides. */
export function jwtAuthorizerAttributes(
  issuer: string | undefined,
  audience: readonly string[] | undefined,
  identitySource: readonly string[] | undefined,
): Record<string, string> {
  return { type: 'JWT', issuer: issuer ?? NOT_SET, audience: listValue(audience), identitySource: listValue(identitySource) };
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
    let attributes: Record<string, string>;
    if (a.AuthorizerType === 'REQUEST') {
      attributes = lambdaAuthorizerAttributes(a.AuthorizerResultTtlInSeconds, a.IdentitySource, a.AuthorizerPayloadFormatVersion, a.EnableSimpleResponses);
    } else if (a.AuthorizerType === 'JWT') {
      attributes = jwtAuthorizerAttributes(a.JwtConfiguration?.Issuer, a.JwtConfiguration?.Audience, a.IdentitySource);
    } else {
      attributes = { type: a.AuthorizerType ?? NOT_SET };
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
