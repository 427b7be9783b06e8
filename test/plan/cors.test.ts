import { planGateway, restPreflightOriginTemplate, restPreflightTemplateOrigins, type GatewayPlan } from '../../lib/plan';
import type { ServiceMap } from '../../lib/service-map';

function planOf(map: unknown): GatewayPlan {
  const { problems, plan } = planGateway(map);
  expect(problems).toEqual([]);
  return plan!;
}

const image = 'public.ecr.aws/nginx/nginx:1.27';
const base = (frontDoor: 'http' | 'rest', cors?: ServiceMap['cors']): ServiceMap => ({
  name: 'shop',
  frontDoor,
  ...(cors ? { cors } : {}),
  auth: { jwt: { issuer: 'https://id.example.com/', audience: ['api'] }, default: 'jwt' },
  firewall: { enabled: false },
  services: { orders: { path: '/orders', container: { image, port: 8080 } } },
});

describe('the plan decides CORS once for both front doors', () => {
  test('a map without cors plans none (the HTTP API gets no CorsConfiguration, REST no preflight or gateway responses)', () => {
    expect(planOf(base('http')).cors).toBeUndefined();
    expect(planOf(base('rest')).cors).toBeUndefined();
  });

  test('HTTP: the API\'s CORS configuration with the defaults filled in; no expose headers member when none are exposed', () => {
    const cors = planOf(base('http', { allowOrigins: ['https://app.example.com'] })).cors!;
    expect(cors.http).toEqual({
      allowOrigins: ['https://app.example.com'],
      allowMethods: ['*'],
      allowHeaders: ['authorization', 'content-type'],
      allowCredentials: false,
      maxAge: 600,
    });
    expect(cors.restPreflight).toBeUndefined();
    expect(cors.restGatewayResponses).toBeUndefined();
  });

  test('HTTP: every field of the map is carried (methods, exposed headers, credentials, max age)', () => {
    const cors = planOf(base('http', { allowOrigins: ['https://a.example.com', 'https://b.example.com'], allowMethods: ['GET', 'POST'], exposeHeaders: ['x-request-id'], allowCredentials: true, maxAgeSeconds: 60 })).cors!;
    expect(cors.http).toEqual({
      allowOrigins: ['https://a.example.com', 'https://b.example.com'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['x-request-id'],
      allowCredentials: true,
      maxAge: 60,
    });
  });

  test('REST, one origin: the preflight sends it as a static header, allows every method for *, and the gateway responses carry it too', () => {
    const cors = planOf(base('rest', { allowOrigins: ['https://app.example.com'], exposeHeaders: ['x-a', 'x-b'] })).cors!;
    expect(cors.http).toBeUndefined();
    expect(cors.restPreflight).toEqual({
      statusCode: '204',
      responseParameters: {
        'method.response.header.Access-Control-Allow-Headers': "'authorization,content-type'",
        'method.response.header.Access-Control-Allow-Methods': "'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS'",
        'method.response.header.Access-Control-Max-Age': "'600'",
        'method.response.header.Vary': "'Origin'",
        'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      },
      originTemplate: '',
    });
    expect(cors.restGatewayResponses).toEqual({
      responseTypes: ['DEFAULT_4XX', 'DEFAULT_5XX'],
      responseParameters: {
        'gatewayresponse.header.Vary': "'Origin'",
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.Access-Control-Expose-Headers': "'x-a,x-b'",
      },
    });
  });

  test('REST, several origins: the preflight echoes the request\'s Origin only when it is one of them; the gateway responses send no origin', () => {
    const cors = planOf(base('rest', { allowOrigins: ['https://a.example.com', 'https://b.example.com'], allowMethods: ['GET', 'POST'], allowCredentials: true })).cors!;
    const preflight = cors.restPreflight!;
    expect(preflight.responseParameters['method.response.header.Access-Control-Allow-Origin']).toBeUndefined();
    expect(preflight.responseParameters['method.response.header.Access-Control-Allow-Methods']).toBe("'GET,POST,OPTIONS'");
    expect(preflight.responseParameters['method.response.header.Access-Control-Allow-Credentials']).toBe("'true'");
    expect(preflight.originTemplate).toBe(
      [
        '#set($origin = $input.params("Origin"))',
        '#if($origin == "https://a.example.com" || $origin == "https://b.example.com")',
        '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)',
        '#end',
      ].join('\n'),
    );
    expect(cors.restGatewayResponses!.responseParameters).toEqual({
      'gatewayresponse.header.Vary': "'Origin'",
      'gatewayresponse.header.Access-Control-Allow-Credentials': "'true'",
    });
  });

  test('the origins a preflight template echoes are read back only from the template the plan writes', () => {
    const template = restPreflightOriginTemplate(['https://a.example.com', 'https://b.example.com']);
    expect(restPreflightTemplateOrigins(template)).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(restPreflightTemplateOrigins('')).toEqual([]);
    // Edited by hand: an extra condition, or a template of another shape, is not read as a list of origins.
    expect(restPreflightTemplateOrigins(template.replace('#if(', '#if(true || '))).toBeUndefined();
    expect(restPreflightTemplateOrigins('#set($context.responseOverride.header.Access-Control-Allow-Origin = "*")')).toBeUndefined();
  });
});
