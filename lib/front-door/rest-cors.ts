import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import type { RestGatewayResponsesPlan, RestPreflightPlan } from '../plan/cors';

/**
 * An OPTIONS method answering CORS preflight requests from API Gateway itself (a MOCK integration),
 * so preflights never reach the authorizer or a backend. It renders the plan's preflight answer
 * (`planCors`): a single allowed origin is sent; several are matched against the request's Origin by
 * the mapping template.
 */
export function corsOptionsMethod(scope: Construct, id: string, restApiId: string, resourceId: string, preflight: RestPreflightPlan): apigw.CfnMethod {
  const headers = preflight.responseParameters;
  return new apigw.CfnMethod(scope, id, {
    restApiId,
    resourceId,
    httpMethod: 'OPTIONS',
    authorizationType: 'NONE',
    integration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': `{ "statusCode": ${preflight.statusCode} }` },
      integrationResponses: [{ statusCode: preflight.statusCode, responseParameters: { ...headers }, responseTemplates: { 'application/json': preflight.originTemplate } }],
    },
    methodResponses: [
      {
        statusCode: preflight.statusCode,
        responseParameters: Object.fromEntries([...new Set([...Object.keys(headers), 'method.response.header.Access-Control-Allow-Origin'])].map((k) => [k, true])),
      },
    ],
  });
}

/**
 * CORS headers on the answers API Gateway writes itself (401 from the authorizer, 403, 429 throttles,
 * 5xx), so a browser shows the caller the real error instead of a CORS failure. Backend responses pass
 * through a proxy integration unchanged: backends set their own CORS headers. Renders the plan's
 * gateway responses (`planCors`).
 */
export function corsGatewayResponses(scope: Construct, restApiId: string, planned: RestGatewayResponsesPlan): apigw.CfnGatewayResponse[] {
  return planned.responseTypes.map(
    (responseType) => new apigw.CfnGatewayResponse(scope, `Cors${responseType}`, { restApiId, responseType, responseParameters: { ...planned.responseParameters } }),
  );
}
