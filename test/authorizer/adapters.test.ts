import type { APIGatewayRequestAuthorizerEvent, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import {
  authorizerModule,
  Clock,
  env,
  recordingLog,
  routeScopesFile,
  ROUTES,
  type AuthorizerModule,
} from './support/authorizer';
import { JwksServer } from './support/jwks-server';
import { issuerKey, token, type IssuerKey } from './support/tokens';

let mod: typeof AuthorizerModule;
let server: JwksServer;
let key: IssuerKey;
let authorizer: ReturnType<typeof AuthorizerModule.createAuthorizer>;
let clock: Clock;

beforeAll(async () => {
  mod = await authorizerModule();
  key = issuerKey('ES256', 'ec-1');
  server = await JwksServer.start([key.jwk]);
  clock = new Clock();
  authorizer = mod.createAuthorizer(
    mod.configFromEnv(env(server.url, routeScopesFile({ ...ROUTES, 'ANY /': [], 'ANY /users/{id}/orders': [] })), '/x'),
    { now: clock.now, log: recordingLog().log },
  );
});
afterAll(() => server.close());

const validToken = (claims: Record<string, unknown> = {}) => token(key, clock.ms, { claims: { scope: 'reading:read', ...claims } });

function httpEvent(routeKey: string, headers: Record<string, string>): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/$default/GET/live-reading',
    identitySource: [headers.authorization ?? ''],
    routeKey,
    rawPath: '/live-reading',
    rawQueryString: '',
    cookies: [],
    headers,
    requestContext: { requestId: 'req-1' } as APIGatewayRequestAuthorizerEventV2['requestContext'],
  };
}

const API = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod';

function restEvent(
  resource: string,
  methodArnPath: string,
  headers: Record<string, string> | null,
  multiValueHeaders: Record<string, string[]> | null = null,
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: `${API}/${methodArnPath}`,
    resource,
    path: methodArnPath.slice(methodArnPath.indexOf('/')),
    httpMethod: methodArnPath.slice(0, methodArnPath.indexOf('/')),
    headers,
    multiValueHeaders,
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: { requestId: 'req-2' } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

/** How IAM matches execute-api resource patterns: `*` any characters (`/` included), `?` one. */
function iamMatches(patterns: string | readonly string[], arn: string): boolean {
  return [patterns].flat().some((pattern) => {
    const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    return new RegExp(`^${regex}$`).test(arn);
  });
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const everyMethod = (path: string) => METHODS.map((method) => `${API}/${method}${path}`);

describe('HTTP API handler (payload 2.0, simple responses)', () => {
  test('allows with the subject and scopes as string context', async () => {
    const response = await authorizer.handler(
      httpEvent('ANY /live-reading/{proxy+}', { authorization: `Bearer ${validToken({ scope: 'reading:read extra' })}` }),
    );
    expect(response).toEqual({ isAuthorized: true, context: { sub: 'user-123', scope: 'reading:read extra' } });
  });

  test('denies without context', async () => {
    const response = await authorizer.handler(httpEvent('ANY /live-reading', { authorization: `Bearer ${validToken({ scope: 'x' })}` }));
    expect(response).toEqual({ isAuthorized: false });
  });

  test('takes the route from routeKey: a valid token on a route missing from the file is denied', async () => {
    const response = await authorizer.handler(httpEvent('ANY /admin', { authorization: `Bearer ${validToken()}` }));
    expect(response).toEqual({ isAuthorized: false });
  });

  test('repeated Authorization headers (joined by API Gateway with a comma) are denied', async () => {
    const jwt = validToken();
    await expect(authorizer.handler(httpEvent('ANY /live-reading', { authorization: `Bearer ${jwt},Bearer ${jwt}` }))).resolves.toEqual({
      isAuthorized: false,
    });
  });

  test.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['an empty object', {}],
    ['null headers', { routeKey: 'ANY /payment', headers: null }],
    ['a numeric authorization header', { routeKey: 'ANY /payment', headers: { authorization: 42 } }],
    ['an array authorization header', { routeKey: 'ANY /payment', headers: { authorization: ['Bearer a.b.c'] } }],
    ['no routeKey', { headers: { authorization: `Bearer x.y.z` } }],
  ])('never throws for a broken event: %s', async (_name, event) => {
    await expect(authorizer.handler(event as APIGatewayRequestAuthorizerEventV2)).resolves.toEqual({ isAuthorized: false });
  });
});

describe('REST API handler (REQUEST authorizer, IAM policy)', () => {
  test('allows every method and every path of the route, and nothing else', async () => {
    // GIVEN a request to GET /live-reading/a/b on the proxy resource
    const event = restEvent('/live-reading/{proxy+}', 'GET/live-reading/a/b', { Authorization: `Bearer ${validToken()}` });

    // WHEN it is authorized
    const response = await authorizer.restHandler(event);

    // THEN the policy allows execute-api:Invoke on every method and path of that resource
    expect(response).toEqual({
      principalId: 'user-123',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: everyMethod('/live-reading/*') }],
      },
      context: { sub: 'user-123', scope: 'reading:read' },
    });
    const resource = response.policyDocument.Statement[0].Resource;
    for (const covered of ['GET/live-reading/a/b', 'POST/live-reading/x', 'DELETE/live-reading/a/b/c', 'PATCH/live-reading/x']) {
      expect(iamMatches(resource, `${API}/${covered}`)).toBe(true);
    }
    for (const other of ['GET/payment', 'GET/live-readings/x', 'GET/live-reading', 'GET/grades/live-reading/x']) {
      expect(iamMatches(resource, `${API}/${other}`)).toBe(false);
    }
    expect(iamMatches(resource, `${API.replace('/prod', '/dev')}/GET/live-reading/x`)).toBe(false);
  });

  test('a token allowed on every route of the file gets the whole stage (one cached allow may serve them all)', async () => {
    const jwt = validToken({ scope: 'reading:read grades:read grades:write' });
    const response = await authorizer.restHandler(restEvent('/live-reading/{proxy+}', 'GET/live-reading/a', { Authorization: `Bearer ${jwt}` }));
    expect(response.policyDocument.Statement[0]).toEqual({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${API}/*/*` });
    expect(iamMatches(response.policyDocument.Statement[0].Resource, `${API}/POST/grades`)).toBe(true);
    expect(iamMatches(response.policyDocument.Statement[0].Resource, `${API.replace('/prod', '/dev')}/GET/grades`)).toBe(false);
  });

  test.each([
    ['/live-reading', 'PUT/live-reading', everyMethod('/live-reading')],
    ['/users/{id}/orders', 'GET/users/42/orders', everyMethod('/users/*/orders')],
    ['/', 'GET/', everyMethod('/')],
  ])('resource %s gives the policy resource for all its methods', async (resource, methodArnPath, expected) => {
    const response = await authorizer.restHandler(restEvent(resource, methodArnPath, { authorization: `Bearer ${validToken()}` }));
    expect(response.policyDocument.Statement[0]).toEqual({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: expected });
  });

  test('a deny is an explicit Deny policy on the route, without context', async () => {
    const response = await authorizer.restHandler(
      restEvent('/live-reading/{proxy+}', 'GET/live-reading/a', { Authorization: `Bearer ${validToken({ scope: 'other' })}` }),
    );
    expect(response).toEqual({
      principalId: 'user-123',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: everyMethod('/live-reading/*') }],
      },
    });
  });

  test('an invalid token gets an anonymous Deny', async () => {
    const response = await authorizer.restHandler(restEvent('/payment', 'GET/payment', { Authorization: 'Bearer a.b.c' }));
    expect(response.principalId).toBe('anonymous');
    expect(response.policyDocument.Statement[0].Effect).toBe('Deny');
    expect(response).not.toHaveProperty('context');
  });

  test('finds the header whatever its case, and denies two Authorization headers', async () => {
    const jwt = validToken();
    const lower = await authorizer.restHandler(restEvent('/payment', 'GET/payment', { authorization: `Bearer ${jwt}` }));
    expect(lower.policyDocument.Statement[0].Effect).toBe('Allow');
    const twice = await authorizer.restHandler(
      restEvent('/payment', 'GET/payment', { Authorization: `Bearer ${jwt}` }, { Authorization: [`Bearer ${jwt}`, 'Bearer other'] }),
    );
    expect(twice.policyDocument.Statement[0].Effect).toBe('Deny');
  });

  test('the route key is ANY plus the resource: a resource missing from the file is denied', async () => {
    const response = await authorizer.restHandler(restEvent('/admin', 'GET/admin', { Authorization: `Bearer ${validToken()}` }));
    expect(response.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny', Resource: everyMethod('/admin') });
  });

  test('a methodArn that is not an execute-api ARN gets a Deny on everything, even with a valid token', async () => {
    const event = { ...restEvent('/payment', 'GET/payment', { Authorization: `Bearer ${validToken()}` }), methodArn: 'arn:aws:s3:::bucket/x' };
    const response = await authorizer.restHandler(event);
    expect(response.policyDocument.Statement[0]).toEqual({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: '*' });
  });

  test.each<[string, unknown]>([
    ['undefined', undefined],
    ['an empty object', {}],
    ['null headers', { methodArn: `${API}/GET/payment`, resource: '/payment', headers: null, multiValueHeaders: null }],
  ])('never throws for a broken event: %s', async (_name, event) => {
    const response = await authorizer.restHandler(event as APIGatewayRequestAuthorizerEvent);
    expect(response.policyDocument.Statement[0].Effect).toBe('Deny');
  });
});
