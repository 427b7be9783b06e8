import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import type { ResolvedServiceMap } from '../service-map/schema';

type Cors = NonNullable<ResolvedServiceMap['cors']>;

/**
 * An OPTIONS method answering CORS preflight requests from API Gateway itself (a MOCK integration),
 * so preflights never reach the authorizer or a backend. A single allowed origin is echoed; several
 * are matched against the request's Origin by the mapping template.
 */
export function corsOptionsMethod(scope: Construct, id: string, restApiId: string, resourceId: string, cors: Cors): apigw.CfnMethod {
  const allowMethods = cors.allowMethods.includes('*') ? 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS' : [...new Set([...cors.allowMethods, 'OPTIONS'])].join(',');
  const headers: Record<string, string> = {
    'method.response.header.Access-Control-Allow-Headers': `'${cors.allowHeaders.join(',')}'`,
    'method.response.header.Access-Control-Allow-Methods': `'${allowMethods}'`,
    'method.response.header.Access-Control-Max-Age': `'${cors.maxAgeSeconds}'`,
    'method.response.header.Vary': "'Origin'",
  };
  if (cors.allowCredentials) headers['method.response.header.Access-Control-Allow-Credentials'] = "'true'";
  const single = cors.allowOrigins.length === 1;
  if (single) headers['method.response.header.Access-Control-Allow-Origin'] = `'${cors.allowOrigins[0]}'`;
  const originTemplate = single
    ? ''
    : [
        '#set($origin = $input.params("Origin"))',
        `#if(${cors.allowOrigins.map((o) => `$origin == "${o}"`).join(' || ')})`,
        '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
        '#end',
      ].join('\n');
  return new apigw.CfnMethod(scope, id, {
    restApiId,
    resourceId,
    httpMethod: 'OPTIONS',
    authorizationType: 'NONE',
    integration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{ "statusCode": 204 }' },
      integrationResponses: [{ statusCode: '204', responseParameters: headers, responseTemplates: { 'application/json': originTemplate } }],
    },
    methodResponses: [
      {
        statusCode: '204',
        responseParameters: Object.fromEntries([...Object.keys(headers), 'method.response.header.Access-Control-Allow-Origin'].map((k) => [k, true])),
      },
    ],
  });
}

/**
 * CORS headers on the answers API Gateway writes itself (401 from the authorizer, 403, 429 throttles,
 * 5xx), so a browser shows the caller the real error instead of a CORS failure. Backend responses pass
 * through a proxy integration unchanged: backends set their own CORS headers.
 *
 * Gateway responses can only carry static headers: with one allowed origin it is sent; with several,
 * none is (echoing the request's Origin would allow every origin).
 */
export function corsGatewayResponses(scope: Construct, restApiId: string, cors: Cors): apigw.CfnGatewayResponse[] {
  const headers: Record<string, string> = { 'gatewayresponse.header.Vary': "'Origin'" };
  if (cors.allowOrigins.length === 1) headers['gatewayresponse.header.Access-Control-Allow-Origin'] = `'${cors.allowOrigins[0]}'`;
  if (cors.allowCredentials) headers['gatewayresponse.header.Access-Control-Allow-Credentials'] = "'true'";
  if (cors.exposeHeaders.length > 0) headers['gatewayresponse.header.Access-Control-Expose-Headers'] = `'${cors.exposeHeaders.join(',')}'`;
  return (['DEFAULT_4XX', 'DEFAULT_5XX'] as const).map(
    (responseType) => new apigw.CfnGatewayResponse(scope, `Cors${responseType}`, { restApiId, responseType, responseParameters: headers }),
  );
}
