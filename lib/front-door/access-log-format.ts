import { IDENTITY } from '../plan/integration-mapping';

/**
 * JSON access-log line of the front door. It names the caller, the route and the timings an on-call
 * engineer needs, and never a token or a header value a client controls.
 *
 * @param authorizer the HTTP front door's JWT authorizer kind (the REST front door has only the Lambda one)
 */
export function accessLogFormat(frontDoor: 'http' | 'rest', authorizer: 'lambda' | 'native' = 'lambda'): string {
  const common: Record<string, string> = {
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    httpMethod: '$context.httpMethod',
    path: '$context.path',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    userAgent: '$context.identity.userAgent',
    integrationStatus: '$context.integrationStatus',
    integrationLatencyMs: '$context.integrationLatency',
  };
  const specific: Record<string, string> =
    frontDoor === 'http'
      ? {
          routeKey: '$context.routeKey',
          responseLatencyMs: '$context.responseLatency',
          integrationError: '$context.integrationErrorMessage',
          authorizerError: '$context.authorizer.error',
          // The same caller the backends get in x-gateway-user, for either authorizer kind.
          user: IDENTITY[authorizer].user,
        }
      : {
          resourcePath: '$context.resourcePath',
          responseLatencyMs: '$context.responseLatency',
          apiKeyId: '$context.identity.apiKeyId',
          user: '$context.authorizer.principalId',
          errorMessage: '$context.error.message',
          wafStatus: '$context.waf.status',
        };
  return JSON.stringify({ ...common, ...specific });
}
