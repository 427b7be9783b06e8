import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { AuthorizerRequest, GatewayContext } from './request';
import type { Decision } from './verify';

/** REST API REQUEST authorizer response: an IAM policy plus the context mapped into headers. */
export interface RestApiAuthorizerResponse {
  readonly principalId: string;
  readonly policyDocument: {
    readonly Version: '2012-10-17';
    readonly Statement: readonly [
      { readonly Action: 'execute-api:Invoke'; readonly Effect: 'Allow' | 'Deny'; readonly Resource: string | readonly string[] },
    ];
  };
  readonly context?: GatewayContext;
}

/** REST keeps the client's header-name case; repeated headers are joined so that they fail to parse. */
function authorizationHeader(event: APIGatewayRequestAuthorizerEvent): string | undefined {
  for (const [name, values] of Object.entries(event?.multiValueHeaders ?? {})) {
    if (name.toLowerCase() === 'authorization' && values && values.length > 1) return values.join(', ');
  }
  for (const [name, value] of Object.entries(event?.headers ?? {})) {
    if (name.toLowerCase() === 'authorization') return value;
  }
  return undefined;
}

export const restApiRequest = (event: APIGatewayRequestAuthorizerEvent): AuthorizerRequest => ({
  authorization: authorizationHeader(event),
  // The front door declares one ANY method per resource, so the resource names the route.
  routeKey: `ANY ${event?.resource}`,
  requestId: event?.requestContext?.requestId,
  problem: routeResourceArns(event?.methodArn, event?.resource) ? undefined : 'bad_event',
});

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * Every method and every path of the route: for `arn:aws:execute-api:eu-west-1:123456789012:api/stage/GET/a/b`
 * and resource `/a/{proxy+}`, `arn:aws:execute-api:eu-west-1:123456789012:api/stage/<METHOD>/a/*` for each
 * method. API Gateway may answer a later request of the same route (another method, another proxy path)
 * from its cache, so the allow must cover those. Methods are listed rather than `*` because an IAM `*`
 * also matches `/`: `stage/*\/a/*` would cover `stage/GET/b/a/x`, a path of another route.
 * (A path parameter's `*` can still span segments; when scopes differ per route the front door puts the
 * resource in the authorizer cache key, so that never reaches another route's cached decision.)
 */
export function routeResourceArns(methodArn: unknown, resource: unknown): string[] | undefined {
  const stage = stageArn(methodArn);
  if (!stage || typeof resource !== 'string' || !resource.startsWith('/')) return undefined;
  const path = resource.replace(/\{[^/{}]+\}/g, '*');
  return METHODS.map((method) => `${stage}/${method}${path}`);
}

/** `arn:aws:execute-api:eu-west-1:123456789012:api/stage` out of a method ARN. */
const stageArn = (methodArn: unknown) =>
  typeof methodArn === 'string' ? /^(arn:[\w-]+:execute-api:[\w-]+:\d{12}:\w+\/[\w-]+)\//.exec(methodArn)?.[1] : undefined;

const policy = (effect: 'Allow' | 'Deny', resource: string | string[]): RestApiAuthorizerResponse['policyDocument'] => ({
  Version: '2012-10-17',
  Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
});

/**
 * A token allowed on every route of route-scopes.json gets `<stage>/*\/*`: when all routes need the same
 * scopes the front door keys the authorizer cache on the token alone, so one cached allow answers every
 * route, and it must, since the token may call them all (routes outside the file do not use this authorizer).
 * Otherwise the allow names the route's own resources.
 *
 * A deny is an explicit Deny policy (403), never a thrown 'Unauthorized': a request without the
 * Authorization header gets its 401 from API Gateway before this function runs (identity source
 * missing), and throwing would count every bad token as a Lambda error in the alarms.
 */
export function restApiResponse(decision: Decision, event: APIGatewayRequestAuthorizerEvent): RestApiAuthorizerResponse {
  const resource = routeResourceArns(event?.methodArn, event?.resource);
  if (decision.allow && resource) {
    return {
      principalId: decision.sub,
      policyDocument: policy('Allow', decision.everyRoute ? `${stageArn(event.methodArn)}/*/*` : resource),
      context: { sub: decision.sub, scope: decision.scopes.join(' ') },
    };
  }
  return { principalId: decision.sub ?? 'anonymous', policyDocument: policy('Deny', resource ?? '*') };
}
