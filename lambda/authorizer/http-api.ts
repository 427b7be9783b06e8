import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import type { AuthorizerRequest, GatewayContext } from './request';
import type { Decision } from './verify';

/** HTTP API simple response (payload format 2.0). */
export interface HttpApiAuthorizerResponse {
  readonly isAuthorized: boolean;
  readonly context?: GatewayContext;
}

/** HTTP API lower-cases header names and joins repeated ones with commas (which no token contains). */
export const httpApiRequest = (event: APIGatewayRequestAuthorizerEventV2): AuthorizerRequest => ({
  authorization: event?.headers?.authorization,
  routeKey: event?.routeKey,
  requestId: event?.requestContext?.requestId,
});

export const httpApiResponse = (decision: Decision): HttpApiAuthorizerResponse =>
  decision.allow
    ? { isAuthorized: true, context: { sub: decision.sub, scope: decision.scopes.join(' ') } }
    : { isAuthorized: false };
